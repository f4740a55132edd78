# fault: tcp-server/all-interfaces
# It binds 127.0.0.1 instead of "" (all the interfaces): no other machine can reach it.
import socket
import sys

HOST = sys.argv[1] if len(sys.argv) > 1 else ""
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 65432

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.bind(("127.0.0.1", PORT))
    s.listen(0)
    while True:
        client, address = s.accept()
        client.send(b"What's your student ID?\n")
        student_id = client.recv(1000).upper().decode('utf-8')
        print(student_id)
        client.close()
