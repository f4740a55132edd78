package lab.sockets.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * A network and process namespace of its own for each submission of a class run, made with util-linux's
 * {@code unshare}: the submission's programs see only their own loopback (so every one can bind the slides'
 * port 65432 while the others do too, and none reaches the network), and the first process of the
 * namespace is a shell whose end kills every process left in it ({@code --kill-child}: when the checker
 * stops the namespace, nothing the programs started survives, whatever session it made for itself).
 * <p>
 * Inside, the shell brings the loopback up and gives the namespace a second address, 192.0.2.1 (TEST-NET-1,
 * which routes nowhere), on a dummy interface (or a veth pair where the kernel has no dummy driver), so the
 * case "reachable on an address other than 127.0.0.1" has one to try. It does not {@code exec} the checker:
 * the shell stays process 1 and reaps the programs' orphans as they die.
 * <p>
 * It also keeps no TIME_WAIT sockets ({@code tcp_max_tw_buckets} 0, a setting of this namespace alone). The
 * slides' server closes each conversation first, so its port is left in TIME_WAIT for a minute, and the same
 * program started again for the next case, without {@code SO_REUSEADDR}, could not bind the slides' port:
 * a warning the student did not earn, and a verdict that depended on timing. Nothing else shares the
 * namespace, and the checker's own ports are new each time, so TIME_WAIT protects nothing there.
 */
final class Namespace {
    private Namespace() {}

    /** The address the namespace's second interface gets. */
    static final String OTHER_ADDRESS = "192.0.2.1";

    private static final String SETUP = "ip link set lo up\n"
            + "{ echo 0 > /proc/sys/net/ipv4/tcp_max_tw_buckets; } 2>/dev/null\n"
            + "{ ip link add sk0 type dummy || { ip link add sk0 type veth peer name sk1 && ip link set sk1 up; }; }"
            + " 2>/dev/null && ip addr add " + OTHER_ADDRESS + "/24 dev sk0 && ip link set sk0 up\n"
            + "\"$@\"\n";

    private static volatile String unavailable;
    private static volatile boolean probed;

    /** {@code command} run in a fresh namespace: the {@code unshare} command line. */
    static List<String> wrap(List<String> command) {
        List<String> argv = new ArrayList<>(List.of("unshare"));
        if (!root()) {
            argv.add("--map-root-user");   // an unprivileged user namespace: root inside, the user outside
        }
        argv.addAll(List.of("--net", "--pid", "--fork", "--kill-child", "--mount-proc", "sh", "-c", SETUP, "sh"));
        argv.addAll(command);
        return argv;
    }

    /**
     * {@code null} when namespaces work here; else why not, in a few words for the report. Tried once, by
     * making one: whether the kernel, the user's rights and the tools ({@code unshare}, {@code ip}) allow it.
     */
    static String unavailable() {
        if (!probed) {
            synchronized (Namespace.class) {
                if (!probed) {
                    unavailable = probe();
                    probed = true;
                }
            }
        }
        return unavailable;
    }

    private static String probe() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return "network namespaces are Linux's";
        }
        try {
            Process process = new ProcessBuilder(wrap(List.of("ip", "-o", "link", "show", "lo")))
                    .redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "making a network namespace took more than 10 s";
            }
            String said = new String(process.getInputStream().readAllBytes(), UTF_8).strip();
            if (process.exitValue() != 0 || !said.contains("UP")) {
                String why = said.isEmpty() ? "exit status " + process.exitValue() : said.lines().findFirst().orElse("");
                return "cannot make a network namespace here (needs root or unprivileged user namespaces,"
                        + " unshare and ip): " + why;
            }
            return null;
        } catch (IOException e) {
            return "cannot run unshare: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Whether this process runs as root (the {@code Uid:} line of {@code /proc/self/status}). */
    private static boolean root() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"), UTF_8)) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the probe says so
        }
        return false;
    }

    /** The java that runs this checker, for the checker started inside each namespace. */
    static Path java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java");
    }
}
