package io.txmon.monitor;

import java.io.File;

/**
 * Where media driver directories go: in shared memory where the machine has it, as Aeron prefers, else the
 * temporary directory. {@code txmon run} and {@code txmon produce} share one well-known directory per user;
 * the demo takes a private one per run.
 */
public final class AeronDirectories
{
    private AeronDirectories()
    {
    }

    /**
     * @return {@code /dev/shm/txmon-<user.name>} when {@code /dev/shm} is a writable directory, else
     * {@code <java.io.tmpdir>/txmon-<user.name>}.
     */
    public static String defaultDirectory()
    {
        return defaultDirectory(new File("/dev/shm"), System.getProperty("java.io.tmpdir"), System.getProperty("user.name"));
    }

    static String defaultDirectory(final File shm, final String tmpDir, final String userName)
    {
        return in(shm, tmpDir, "txmon-" + sanitise(userName));
    }

    /**
     * A directory of its own for one run (the demo's embedded driver), in the same place as the default.
     *
     * @param prefix of the directory's name.
     * @return {@code <shared memory or tmp>/<prefix><pid>-<nanoTime>}.
     */
    static String privateDirectory(final String prefix)
    {
        return in(new File("/dev/shm"), System.getProperty("java.io.tmpdir"),
            prefix + ProcessHandle.current().pid() + "-" + System.nanoTime());
    }

    private static String in(final File shm, final String tmpDir, final String name)
    {
        if (shm.isDirectory() && shm.canWrite())
        {
            return new File(shm, name).getAbsolutePath();
        }
        return new File(tmpDir, name).getAbsolutePath();
    }

    private static String sanitise(final String userName)
    {
        if (null == userName || userName.isEmpty())
        {
            return "user";
        }
        final StringBuilder sb = new StringBuilder(userName.length());
        for (int i = 0; i < userName.length(); i++)
        {
            final char c = userName.charAt(i);
            sb.append(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' ? c : '_');
        }
        return sb.toString();
    }
}
