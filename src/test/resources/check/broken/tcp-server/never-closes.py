# fault: tcp-server/closes
# It never closes a client's connection (and keeps every socket, so nothing closes it by accident).
import socket
import sys

HOST = sys.argv[1] if len(sys.argv) > 1 else ""
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 65432

served = []
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.bind((HOST, PORT))
    s.listen(0)
    while True:
        client, address = s.accept()
        client.send(b"What's your student ID?\n")
        student_id = client.recv(1000).upper().decode('utf-8')
        print(student_id)
        served.append(client)
