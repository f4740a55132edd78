# fault: tcp-client/exits
# Once the ID is sent it never ends: it sleeps forever instead of closing and exiting.
import time
import socket
import sys

HOST = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1"
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 65432

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.connect((HOST, PORT))
    response = input(s.recv(1000).decode('utf-8')).encode('utf-8')
    s.send(response)
    while True:
        time.sleep(1)
