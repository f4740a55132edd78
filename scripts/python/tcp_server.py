# The lab slides' TCP server.  Usage: python3 tcp_server.py [HOST] [PORT]
import socket
import sys

HOST = sys.argv[1] if len(sys.argv) > 1 else ""   # "" means INADDR_ANY: all the interfaces
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 65432

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.bind((HOST, PORT))
    s.listen(0)
    if PORT == 0:   # not in the slides: say which port the OS chose
        print("listening on %s port %d" % s.getsockname(), flush=True)
    while True:
        client, address = s.accept()
        client.send(b"What's your student ID?\n")
        student_id = client.recv(1000).upper().decode('utf-8')
        print(student_id)
        client.close()
