# fault: udp-server/reply
# It answers b'data received\n': 14 bytes, a newline too many.
import socket
import sys

UDP_IP = sys.argv[1] if len(sys.argv) > 1 else ""
UDP_PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 5005

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind((UDP_IP, UDP_PORT))
while True:
    data, addr = sock.recvfrom(1024)
    print("received message: %s" % data)
    sock.sendto(b'data received\n', addr)
