# fault: udp-server/reply-to-sender
# also: udp-server/reply (no reply comes back to the sender, so there are no bytes to judge)
# It answers the sender's address, but the port after the sender's.
import socket
import sys

UDP_IP = sys.argv[1] if len(sys.argv) > 1 else ""
UDP_PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 5005

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind((UDP_IP, UDP_PORT))
while True:
    data, addr = sock.recvfrom(1024)
    print("received message: %s" % data)
    sock.sendto(b'data received', (addr[0], addr[1] % 65535 + 1))
