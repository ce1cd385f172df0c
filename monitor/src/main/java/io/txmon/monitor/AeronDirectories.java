package io.txmon.monitor;

import java.io.File;

/**
 * Where {@code txmon run} puts its media driver and {@code txmon produce} looks for it when neither is told:
 * one well-known directory per user, in shared memory where the machine has it, as Aeron prefers.
 */
final class AeronDirectories
{
    private AeronDirectories()
    {
    }

    /**
     * @return {@code /dev/shm/txmon-<user.name>} when {@code /dev/shm} is a writable directory, else
     * {@code <java.io.tmpdir>/txmon-<user.name>}.
     */
    static String defaultDirectory()
    {
        return defaultDirectory(new File("/dev/shm"), System.getProperty("java.io.tmpdir"), System.getProperty("user.name"));
    }

    static String defaultDirectory(final File shm, final String tmpDir, final String userName)
    {
        final String name = "txmon-" + sanitise(userName);
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
