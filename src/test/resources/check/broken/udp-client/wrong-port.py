# fault: udp-client/sends
# also: udp-client/receives (no datagram reaches the server, so no reply comes)
# It sends to the port after the one it is given.
import socket
import sys

UDP_IP = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1"
UDP_PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 5005
MESSAGE = "Hello, World!"

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.sendto(MESSAGE.encode(), (UDP_IP, UDP_PORT + 1))
data, addr = sock.recvfrom(1024)
print("received message: %s" % data)
