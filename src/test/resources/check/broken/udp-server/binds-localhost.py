# fault: udp-server/all-interfaces
# It binds 127.0.0.1 instead of "" (all the interfaces): no other machine can reach it.
import socket
import sys

UDP_IP = sys.argv[1] if len(sys.argv) > 1 else ""
UDP_PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 5005

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(("127.0.0.1", UDP_PORT))
while True:
    data, addr = sock.recvfrom(1024)
    print("received message: %s" % data)
    sock.sendto(b'data received', addr)
