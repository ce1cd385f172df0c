package io.txmon.monitor;

import io.aeron.driver.MediaDriver;
import io.txmon.transport.EmbeddedDriver;

import java.io.IOException;

/**
 * A child JVM holding a media driver as {@code txmon run} embeds it, for the restart-after-kill test: prints
 * {@code READY} once the driver runs and holds it until stdin ends or the process is killed.
 */
public final class DriverHolder
{
    private DriverHolder()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        try (MediaDriver driver = EmbeddedDriver.launch(args[0], false, false))
        {
            System.out.println("READY");
            System.out.flush();
            while (System.in.read() >= 0)
            {
                // hold the driver until stdin ends
            }
        }
        System.exit(0);
    }
}
