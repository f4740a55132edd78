# fault: tcp-server/prompt
# It calls recv() before it sends the prompt: client and server each wait for the other.
import socket
import sys

HOST = sys.argv[1] if len(sys.argv) > 1 else ""
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 65432

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.bind((HOST, PORT))
    s.listen(0)
    while True:
        client, address = s.accept()
        student_id = client.recv(1000).upper().decode('utf-8')
        client.send(b"What's your student ID?\n")
        print(student_id)
        client.close()
