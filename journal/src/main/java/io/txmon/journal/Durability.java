package io.txmon.journal;

/**
 * When appended records reach the storage device.
 */
public enum Durability
{
    /**
     * The page cache: a killed process loses nothing it appended; a power loss or kernel crash may lose
     * what the operating system had not yet written back.
     */
    OS,

    /**
     * The writer forces what it appended every configured interval: a power loss loses at most the last
     * interval's records.
     */
    INTERVAL,

    /**
     * The writer forces before its owner releases records (the sequencer commits once per batch before
     * publishing the batch to the rules): nothing released is lost to a power loss.
     */
    SYNC;

    /**
     * @param text such as {@code os}, {@code interval} or {@code sync}, any case.
     * @return the mode.
     * @throws IllegalArgumentException naming the accepted values.
     */
    public static Durability parse(final String text)
    {
        for (final Durability d : values())
        {
            if (d.name().equalsIgnoreCase(text.trim()))
            {
                return d;
            }
        }
        throw new IllegalArgumentException("durability must be os, interval or sync, not '" + text + "'");
    }
}
