/*
 * tcp_load PORT CLIENTS SECONDS: a second opinion beside our tcp-load, in C. CLIENTS connections in a
 * closed loop against 127.0.0.1:PORT: connect, read the 24-byte prompt, send "b08902001\n", read to end
 * of stream, close, start again. Prints conversations per second. Used by scripts/bench-interleaved.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { CONNECTING, PROMPT, ACK };
struct client { int fd, state, got; };
static struct sockaddr_in server;
static int ep;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void start(struct client *c, int index) {
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    c->state = CONNECTING;
    c->got = 0;
    connect(c->fd, (struct sockaddr *) &server, sizeof server);
    struct epoll_event watch = { .events = EPOLLIN | EPOLLOUT, .data.u32 = index };
    epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &watch);
}

static void restart(struct client *c, int index) {
    close(c->fd);
    start(c, index);
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: tcp_load PORT CLIENTS SECONDS\n"); return 2; }
    server = (struct sockaddr_in) { .sin_family = AF_INET, .sin_port = htons(atoi(argv[1])),
                                    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int n = atoi(argv[2]);
    double seconds = atof(argv[3]);
    ep = epoll_create1(0);
    struct client *clients = calloc(n, sizeof *clients);
    for (int i = 0; i < n; i++) start(&clients[i], i);
    long done = 0, errors = 0;
    char buffer[4096];
    struct epoll_event ready[256];
    double end = now() + seconds;
    while (now() < end) {
        int count = epoll_wait(ep, ready, 256, 100);
        for (int j = 0; j < count; j++) {
            int i = ready[j].data.u32;
            struct client *c = &clients[i];
            if (c->state == CONNECTING) {
                if (ready[j].events & (EPOLLERR | EPOLLHUP)) { errors++; restart(c, i); continue; }
                c->state = PROMPT;
                struct epoll_event watch = { .events = EPOLLIN, .data.u32 = i };
                epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &watch);
            }
            for (;;) {
                ssize_t r = read(c->fd, buffer, sizeof buffer);
                if (r > 0) {
                    if (c->state == PROMPT && (c->got += r) >= 24) {
                        if (write(c->fd, "b08902001\n", 10) != 10) { errors++; restart(c, i); break; }
                        c->state = ACK;
                    }
                    continue;
                }
                if (r == 0) { c->state == ACK ? done++ : errors++; restart(c, i); break; }
                if (errno != EAGAIN) { errors++; restart(c, i); }
                break;
            }
        }
    }
    printf("%.0f %ld\n", done / seconds, errors);
    return 0;
}
