package io.txmon.transport;

import io.aeron.driver.MediaDriver;

import java.io.IOException;

/**
 * A child JVM holding an embedded media driver, for the driver takeover tests: {@code DriverProcess DIR} launches a
 * driver in DIR as {@code txmon run} does (refusing a live one), prints {@code READY <pid>}, and closes it when its
 * stdin ends. Killing it (SIGKILL) leaves the directory behind, as a crash does.
 */
public final class DriverProcess
{
    private DriverProcess()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        try (MediaDriver driver = EmbeddedDriver.launch(args[0], false, false))
        {
            System.out.println("READY " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0)
            {
                // wait for the end of stdin
            }
        }
        System.exit(0);
    }
}
