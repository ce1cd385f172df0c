package io.txmon.rules.typology;

import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import io.txmon.rules.state.AccountStore;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;

import static io.txmon.rules.typology.ParameterChecks.atLeast;
import static io.txmon.rules.typology.ParameterChecks.positive;
import static io.txmon.rules.typology.ParameterChecks.set;

/**
 * Impossible travel: two card payments from one debtor account, both with a geo position, whose
 * great-circle distance divided by the time between them is a speed above a maximum, within a window.
 * Each card payment with a position is compared with the latest earlier one of the same debtor.
 * Keyed on the debtor account; the evidence is the earlier payment and the triggering one.
 * <p>
 * Distance is haversine on a sphere of radius {@link #EARTH_RADIUS_KM}, in doubles (geometry only, never
 * money). Pairs closer than a minimum distance are ignored, so position noise between payments at the
 * same instant does not alert. Score: 500 at the maximum speed, rising to 1000 at ten times it, 1000 when
 * both payments have the same event time.
 * <p>
 * Late events (older than the stored position) are compared with the stored position but do not
 * replace it. Memory: one state object of five primitives (48 bytes) per debtor account owned by this worker
 * that made a card payment with a position, in an object column of the worker's {@link AccountStore}; it is
 * forgotten when the store evicts the account (the next payment is then compared with nothing), and the object kept
 * for the next debtor to make one.
 * <p>
 * State in a snapshot: the number of debtors with a stored position (int), then per debtor, in ascending order of
 * id (before the store: the map's iteration order), its id, the stored payment's event time, offset and
 * transaction id (longs), its latitude and longitude (ints, micro-degrees). A debtor out of order (or twice) is
 * refused.
 * {@link #lateEvents()} is monitoring only and is not written.
 */
public final class ImpossibleTravelRule extends TypologyRule<ImpossibleTravelRule.Parameters>
{
    /** Stable rule id. */
    public static final int ID = 15;
    /** Version of the logic. */
    public static final int VERSION = 1;
    /** Name in configuration and alerts. */
    public static final String NAME = "impossible-travel";
    /** Mean radius of the Earth in km. */
    public static final double EARTH_RADIUS_KM = 6371.0088;
    /** Default maximum plausible speed in km/h. */
    public static final long DEFAULT_MAX_SPEED_KMH = 1_000;
    /** Default window: 24 hours in ns. */
    public static final long DEFAULT_WINDOW_NS = 24L * 3600 * 1_000_000_000L;
    /** Default minimum distance in km below which a pair is never impossible. */
    public static final long DEFAULT_MIN_DISTANCE_KM = 50;

    private static final int CARD = 0;
    private static final double NANOS_PER_HOUR = 3600e9;

    /**
     * Parameters, validated on construction.
     *
     * @param maxSpeedKmh   speed above which travel is impossible, positive; default
     *                      {@value #DEFAULT_MAX_SPEED_KMH}.
     * @param windowNanos   longest time between the two payments, inclusive, positive; default 24 hours.
     * @param minDistanceKm distance below which a pair never alerts, 0 or more; default
     *                      {@value #DEFAULT_MIN_DISTANCE_KM}.
     * @param severity      of the alerts; default {@link Severity#HIGH}.
     */
    public record Parameters(long maxSpeedKmh, long windowNanos, long minDistanceKm, Severity severity)
    {
        /** Default parameters. */
        public static final Parameters DEFAULTS =
            new Parameters(DEFAULT_MAX_SPEED_KMH, DEFAULT_WINDOW_NS, DEFAULT_MIN_DISTANCE_KM, Severity.HIGH);

        /**
         * Validates every parameter.
         *
         * @throws IllegalArgumentException naming the rule and the parameter that is out of range.
         */
        public Parameters
        {
            positive(NAME, "maxSpeedKmh", maxSpeedKmh);
            positive(NAME, "windowNanos", windowNanos);
            atLeast(NAME, "minDistanceKm", minDistanceKm, 0);
            set(NAME, "severity", severity);
        }
    }

    private final long maxSpeedKmh;
    private final long windowNs;
    private final long minDistanceKm;
    private final Severity severity;
    private final AccountObjects<LastPosition> lastByDebtor =
        new AccountObjects<>(this, LastPosition::reset, LastPosition::new);
    private long lateEvents;

    /**
     * Defaults: {@link Parameters#DEFAULTS}, 1,000 km/h, 24 hours, 50 km, severity HIGH.
     */
    public ImpossibleTravelRule()
    {
        this(Parameters.DEFAULTS);
    }

    /**
     * @param maxSpeedKmh   speed above which travel is impossible, positive.
     * @param windowNs      longest time between the two payments, positive.
     * @param minDistanceKm distance below which a pair never alerts, 0 or more.
     * @param severity      of the alerts.
     */
    public ImpossibleTravelRule(
        final long maxSpeedKmh, final long windowNs, final long minDistanceKm, final Severity severity)
    {
        this(new Parameters(maxSpeedKmh, windowNs, minDistanceKm, severity));
    }

    /**
     * @param parameters validated parameters.
     */
    public ImpossibleTravelRule(final Parameters parameters)
    {
        super(ID, VERSION, NAME, parameters);
        this.maxSpeedKmh = parameters.maxSpeedKmh();
        this.windowNs = parameters.windowNanos();
        this.minDistanceKm = parameters.minDistanceKm();
        this.severity = parameters.severity();
    }

    /**
     * The state is each debtor's latest positioned card payment, which a later payment uses only if it is at
     * most the window older; an older one alerts nothing and is replaced, exactly as a missing one is.
     *
     * @return {@link Parameters#windowNanos()}.
     */
    public long horizonNanos()
    {
        return windowNs;
    }

    /**
     * @return {@link #PAYMENT}: the only template read.
     */
    public long templates()
    {
        return PAYMENT;
    }

    /**
     * Moves the stored positions into the worker's account store.
     *
     * @param store the worker's account store.
     */
    public void bind(final AccountStore store)
    {
        lastByDebtor.bind(store);
    }

    /**
     * Write every debtor's stored position, as laid out in the class description.
     *
     * @param out to write to.
     */
    public void writeState(final StateWriter out)
    {
        lastByDebtor.writeAscending(out, (last, lastOut) ->
            lastOut.putLong(last.eventTime).putLong(last.offset).putLong(last.txId)
                .putInt(last.latitude).putInt(last.longitude));
    }

    /**
     * Read back what {@link #writeState} wrote, replacing any state held; nothing changes if it fails.
     *
     * @param in to read from.
     * @throws io.txmon.rules.state.StateException if the bytes cannot be this rule's state: a count beyond the
     * bytes left, a debtor twice or out of ascending order, a position without a latitude or longitude.
     */
    public void readState(final StateReader in)
    {
        lastByDebtor.readAscending(in, LastPosition.BYTES, "debtors", (reader, debtor) -> readPosition(reader));
    }

    /**
     * @param in to read a debtor's stored position from, after its id.
     * @return the position.
     */
    private static LastPosition readPosition(final StateReader in)
    {
        final LastPosition last = new LastPosition();
        last.eventTime = in.getLong();
        last.offset = in.getLong();
        last.txId = in.getLong();
        last.latitude = in.getInt();
        last.longitude = in.getInt();
        in.require(last.latitude != Integer.MIN_VALUE && last.longitude != Integer.MIN_VALUE,
            "a stored position has no latitude or longitude");
        return last;
    }

    /**
     * @return events older than the stored position of their debtor.
     */
    public long lateEvents()
    {
        return lateEvents;
    }

    /**
     * Great-circle distance by the haversine formula.
     *
     * @param lat1 latitude in micro-degrees.
     * @param lon1 longitude in micro-degrees.
     * @param lat2 latitude in micro-degrees.
     * @param lon2 longitude in micro-degrees.
     * @return distance in km.
     */
    public static double distanceKm(final int lat1, final int lon1, final int lat2, final int lon2)
    {
        final double phi1 = Math.toRadians(lat1 / 1e6);
        final double phi2 = Math.toRadians(lat2 / 1e6);
        final double dPhi = phi2 - phi1;
        final double dLambda = Math.toRadians((lon2 - (double)lon1) / 1e6);
        final double sinPhi = Math.sin(dPhi / 2);
        final double sinLambda = Math.sin(dLambda / 2);
        final double a = sinPhi * sinPhi + Math.cos(phi1) * Math.cos(phi2) * sinLambda * sinLambda;
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1.0, Math.sqrt(a)));
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        if (event.templateId != PaymentDecoder.TEMPLATE_ID || event.channel != CARD ||
            event.latitude == Integer.MIN_VALUE || event.longitude == Integer.MIN_VALUE ||
            !context.owns(event.debtorAccount))
        {
            return;
        }

        final long debtor = event.debtorAccount;
        final int slot = context.slot(debtor);
        final LastPosition last = lastByDebtor.get(slot);
        if (last == null)
        {
            lastByDebtor.getOrCreate(slot).set(event);
            return;
        }

        final boolean late = event.eventTime < last.eventTime;
        final long elapsed = late ?
            EventTimes.gap(last.eventTime, event.eventTime) : EventTimes.gap(event.eventTime, last.eventTime);
        if (elapsed <= windowNs)
        {
            final double km = distanceKm(last.latitude, last.longitude, event.latitude, event.longitude);
            // speed > max  <=>  km * nanosPerHour > max * elapsedNanos
            if (km >= minDistanceKm && km * NANOS_PER_HOUR > (double)maxSpeedKmh * elapsed)
            {
                raise(event, context, last, km, elapsed);
            }
        }

        if (late)
        {
            lateEvents++;
        }
        if (!late || elapsed > windowNs)
        {
            // a stored position more than a window ahead of this payment (one dated in the year 2100) would make
            // every later payment late for ever: the payment at hand replaces it
            last.set(event);
        }
    }

    private void raise(
        final TxEvent event, final RuleContext context, final LastPosition last, final double km, final long elapsed)
    {
        final int score;
        final long speed;
        if (elapsed == 0)
        {
            score = 1000;
            speed = Long.MAX_VALUE;
        }
        else
        {
            speed = (long)(km * NANOS_PER_HOUR / elapsed);
            final double ratio = (double)speed / maxSpeedKmh;
            score = ratio >= 10 ? 1000 : (int)(500 + (ratio - 1) * 500 / 9);
        }
        final var reason = context.raise(this, severity, Math.max(500, Math.min(1000, score)), event.debtorAccount)
            .evidence(last.offset)
            .evidence(event.offset)
            .reason()
            .append("card payments ").append(last.txId).append(" and ").append(event.txId)
            .append(" from account ").append(event.debtorAccount)
            .append(" are ").append(Math.round(km)).append(" km apart in ").append(elapsed / 1_000_000_000L)
            .append(" s");
        if (elapsed == 0)
        {
            reason.append(" (same instant)");
        }
        else
        {
            reason.append(", ").append(speed).append(" km/h");
        }
        reason.append(", above the maximum of ").append(maxSpeedKmh).append(" km/h");
    }

    private static final class LastPosition
    {
        /** Bytes of a debtor and its position in a snapshot. */
        static final int BYTES = 4 * Long.BYTES + 2 * Integer.BYTES;

        long eventTime;
        long offset;
        long txId;
        int latitude;
        int longitude;

        /**
         * Make it as a new one is, for another debtor: an evicted debtor's position recycled by the account store
         * (the rule then sets every field from the debtor's first payment).
         */
        void reset()
        {
            eventTime = 0;
            offset = 0;
            txId = 0;
            latitude = 0;
            longitude = 0;
        }

        void set(final TxEvent event)
        {
            eventTime = event.eventTime;
            offset = event.offset;
            txId = event.txId;
            latitude = event.latitude;
            longitude = event.longitude;
        }
    }
}
