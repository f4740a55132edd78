# The lab slides' UDP server.  Usage: python3 udp_server.py [HOST] [PORT]
import socket
import sys

UDP_IP = sys.argv[1] if len(sys.argv) > 1 else ""   # "" means INADDR_ANY: all the interfaces
UDP_PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 5005

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind((UDP_IP, UDP_PORT))
if UDP_PORT == 0:   # not in the slides: say which port the OS chose
    print("listening on %s port %d" % sock.getsockname(), flush=True)

while True:
    data, addr = sock.recvfrom(1024)
    print("received message: %s" % data)
    sock.sendto(b'data received', addr)
