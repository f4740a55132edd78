# fault: udp-client/sends
# also: udp-client/receives (nothing was sent, so no reply comes)
# It waits for a reply without ever sending its message.
import socket
import sys

UDP_IP = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1"
UDP_PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 5005
MESSAGE = "Hello, World!"

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(("", 0))
data, addr = sock.recvfrom(1024)
print("received message: %s" % data)
