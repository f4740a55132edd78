/*
 * udp_load PORT SECONDS: a second opinion beside our udp-load, in C, as light as a generator gets.
 * One socket connected to 127.0.0.1:PORT keeps 64 datagrams ("Hello, World!") in flight: each reply
 * sends the next. Prints the replies per second. Used by scripts/bench-interleaved.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define IN_FLIGHT 64
static const char MESSAGE[] = "Hello, World!";

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: udp_load PORT SECONDS\n"); return 2; }
    struct sockaddr_in server = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[1])),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    double seconds = atof(argv[2]);
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *) &server, sizeof server) < 0) { perror("socket"); return 1; }
    int ep = epoll_create1(0);
    struct epoll_event watch = { .events = EPOLLIN };
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &watch);
    long replies = 0;
    int outstanding = 0;
    char buffer[2048];
    double end = now() + seconds, refill = now();
    while (now() < end) {
        while (outstanding < IN_FLIGHT && send(fd, MESSAGE, sizeof MESSAGE - 1, 0) > 0) outstanding++;
        struct epoll_event ready[1];
        if (epoll_wait(ep, ready, 1, 10) == 0 && now() - refill > 0.2) {
            outstanding = 0;   /* nothing for a while: count what is out as lost, start again */
            refill = now();
        }
        while (recv(fd, buffer, sizeof buffer, 0) > 0) {
            replies++;
            outstanding--;
        }
    }
    printf("%.0f\n", replies / seconds);
    return 0;
}
