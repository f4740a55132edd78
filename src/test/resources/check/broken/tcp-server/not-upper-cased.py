# fault: tcp-server/prints-id
# also: tcp-server/no-newline (the same fault, seen with the slides' client's ID)
# It prints the ID as it came, without .upper().
import socket
import sys

HOST = sys.argv[1] if len(sys.argv) > 1 else ""
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 65432

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.bind((HOST, PORT))
    s.listen(0)
    while True:
        client, address = s.accept()
        client.send(b"What's your student ID?\n")
        student_id = client.recv(1000).decode('utf-8')
        print(student_id)
        client.close()
