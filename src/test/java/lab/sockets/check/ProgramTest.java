package lab.sockets.check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A program is killed with everything it started, even what left its process tree or its session. */
class ProgramTest {
    @Test
    @Timeout(30)
    void killsTheProgramAnOrphanInItsGroupAndAChildInASessionOfItsOwn() throws Exception {
        // the shell starts: an orphan-to-be (its parent subshell exits at once), a child with a session of its
        // own, then waits; each prints its pid
        Program program = Program.start("(sleep 301 & echo $!) ; setsid sleep 302 & echo $! ; exec sleep 303", null);
        List<Long> pids = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pids.size() < 2 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));   // polled: no event says "two lines"
            pids.clear();
            for (String line : program.stdout().text().split("\n")) {
                if (!line.isBlank()) {
                    pids.add(Long.parseLong(line.trim()));
                }
            }
        }
        assertEquals(2, pids.size(), program.stdout().text());
        assertTrue(program.alive());
        program.close();
        assertFalse(program.alive());
        for (long pid : pids) {
            assertTrue(ProcessHandle.of(pid).map(handle -> handle.onExit().orTimeout(5, TimeUnit.SECONDS)
                    .handle((done, failed) -> failed == null).join()).orElse(true), "pid " + pid + " still alive");
        }
    }

    @Test
    @Timeout(30)
    void aProgramThatExitsAtOnceNeverStallsTheCase() throws Exception {
        try (Program program = Program.start("echo bye; exit 3", null)) {
            assertTrue(program.waitForExit(System.nanoTime() + TimeUnit.SECONDS.toNanos(10)));
            assertEquals(3, program.exitStatus());
            assertTrue(program.stdout().waitFor("bye", System.nanoTime() + TimeUnit.SECONDS.toNanos(5)));
        }
    }
}
