package io.txmon.rules.typology;

import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import io.txmon.rules.TxEventDecoder;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.Arrays;
import java.util.Objects;

import static io.txmon.rules.typology.ParameterChecks.atLeast;
import static io.txmon.rules.typology.ParameterChecks.check;
import static io.txmon.rules.typology.ParameterChecks.given;
import static io.txmon.rules.typology.ParameterChecks.set;

/**
 * High-risk country: a payment whose debtor or creditor country is in a configured set, with an amount
 * at or above a minimum. Keyed on the debtor account; the evidence is the payment itself.
 * <p>
 * Stateless apart from the configured country set, so it behaves the same with any number of workers. An
 * empty set is allowed (a configuration change may remove the last code): the rule then never fires.
 * Score 700 when one side is in the set, 900 when both are.
 * <p>
 * State in a snapshot: none. The country set comes from the parameters, which a restarted engine gives the new
 * instance again; nothing is learnt from events.
 */
public final class HighRiskCountryRule extends TypologyRule<HighRiskCountryRule.Parameters>
{
    /** Stable rule id. */
    public static final int ID = 16;
    /** Version of the logic. */
    public static final int VERSION = 2;
    /** Name in configuration and alerts. */
    public static final String NAME = "high-risk-country";
    /** Default countries: a documented example list only (North Korea, Iran, Myanmar); configure the real one. */
    public static final String[] DEFAULT_COUNTRIES = { "KP", "IR", "MM" };
    /** Default minimum amount in minor units: every payment. */
    public static final long DEFAULT_MIN_AMOUNT = 0;

    /**
     * Parameters, validated on construction.
     *
     * @param countries ISO 3166 alpha-2 codes, two upper-case ASCII letters each; may be empty, and then the
     *                  rule never fires; default {@link #DEFAULT_COUNTRIES}. Copied on the way in and out.
     * @param minAmount in minor units, 0 or more; payments at or above it alert; default
     *                  {@value #DEFAULT_MIN_AMOUNT}.
     * @param severity  of the alerts; default {@link Severity#HIGH}.
     */
    public record Parameters(String[] countries, long minAmount, Severity severity)
    {
        /** Default parameters. */
        public static final Parameters DEFAULTS = new Parameters(DEFAULT_COUNTRIES, DEFAULT_MIN_AMOUNT, Severity.HIGH);

        /**
         * Validates every parameter and copies the list.
         *
         * @throws IllegalArgumentException naming the rule and the parameter that is out of range.
         */
        public Parameters
        {
            given(NAME, "countries", countries);
            countries = countries.clone();
            for (final String code : countries)
            {
                check(code != null && code.length() == 2 && isUpper(code.charAt(0)) && isUpper(code.charAt(1)),
                    NAME, "countries", "two upper-case letters each", code);
            }
            atLeast(NAME, "minAmount", minAmount, 0);
            set(NAME, "severity", severity);
        }

        /**
         * @return a copy of the country codes.
         */
        public String[] countries()
        {
            return countries.clone();
        }

        /**
         * @param other to compare with.
         * @return true if other holds the same codes in the same order, amount and severity.
         */
        public boolean equals(final Object other)
        {
            return other instanceof Parameters that && Arrays.equals(countries, that.countries) &&
                minAmount == that.minAmount && severity == that.severity;
        }

        /**
         * @return a hash of the codes, amount and severity.
         */
        public int hashCode()
        {
            return 31 * (31 * Arrays.hashCode(countries) + Long.hashCode(minAmount)) + Objects.hashCode(severity);
        }

        /**
         * @return the parameters, codes listed.
         */
        public String toString()
        {
            return "Parameters[countries=" + Arrays.toString(countries) + ", minAmount=" + minAmount +
                ", severity=" + severity + "]";
        }
    }

    private final Int2ObjectHashMap<String> countries = new Int2ObjectHashMap<>();
    private final long minAmount;
    private final Severity severity;

    /**
     * Defaults: {@link Parameters#DEFAULTS}.
     */
    public HighRiskCountryRule()
    {
        this(Parameters.DEFAULTS);
    }

    /**
     * @param countries ISO 3166 alpha-2 codes, two upper-case ASCII letters each; may be empty.
     * @param minAmount in minor units, 0 or more; payments at or above it alert.
     * @param severity  of the alerts.
     */
    public HighRiskCountryRule(final String[] countries, final long minAmount, final Severity severity)
    {
        this(new Parameters(countries, minAmount, severity));
    }

    /**
     * @param parameters validated parameters.
     */
    public HighRiskCountryRule(final Parameters parameters)
    {
        super(ID, VERSION, NAME, parameters);
        for (final String code : parameters.countries)
        {
            this.countries.put(TxEventDecoder.country((byte)code.charAt(0), (byte)code.charAt(1)), code);
        }
        this.minAmount = parameters.minAmount();
        this.severity = parameters.severity();
    }

    private static boolean isUpper(final char c)
    {
        return c >= 'A' && c <= 'Z';
    }

    /**
     * Stateless: each payment is judged on its own against the configured set.
     *
     * @return 0.
     */
    public long horizonNanos()
    {
        return 0;
    }

    /**
     * @return {@link #PAYMENT}: the only template read.
     */
    public long templates()
    {
        return PAYMENT;
    }

    /**
     * Writes nothing: the rule keeps no state beyond its parameters.
     *
     * @param out not written to.
     */
    public void writeState(final StateWriter out)
    {
    }

    /**
     * Reads nothing: the rule keeps no state beyond its parameters.
     *
     * @param in not read from.
     */
    public void readState(final StateReader in)
    {
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        if (event.templateId != PaymentDecoder.TEMPLATE_ID || context.referenceAmount() < minAmount)
        {
            return;
        }
        final String debtorCode = countries.get(event.debtorCountry);
        final String creditorCode = countries.get(event.creditorCountry);
        if ((debtorCode == null && creditorCode == null) || !context.owns(event.debtorAccount))
        {
            return;
        }

        final int score = debtorCode != null && creditorCode != null ? 900 : 700;
        final var reason = context.raise(this, severity, score, event.debtorAccount)
            .evidence(event.offset)
            .reason()
            .append("payment ").append(event.txId)
            .append(" of ")
            .appendMoney(event.amount, event.currency, context.referenceAmount(), context.referenceCurrency())
            .append(" from account ").append(event.debtorAccount)
            .append(" to account ").append(event.creditorAccount);
        if (debtorCode != null)
        {
            reason.append(": debtor country ").append(debtorCode).append(" is high-risk");
        }
        if (creditorCode != null)
        {
            reason.append(debtorCode != null ? ", creditor country " : ": creditor country ")
                .append(creditorCode).append(" is high-risk");
        }
    }
}
