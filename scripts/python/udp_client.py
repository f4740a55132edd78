# The lab slides' UDP client.  Usage: python3 udp_client.py [HOST] [PORT] [MESSAGE]
import socket
import sys

UDP_IP = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1"
UDP_PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 5005
MESSAGE = sys.argv[3] if len(sys.argv) > 3 else "Hello, World!"

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.sendto(MESSAGE.encode(), (UDP_IP, UDP_PORT))
data, addr = sock.recvfrom(1024)
print("received message: %s" % data)
