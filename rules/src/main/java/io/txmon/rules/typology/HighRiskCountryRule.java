package io.txmon.rules.typology;

import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import io.txmon.rules.TxEventDecoder;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * High-risk country: a payment whose debtor or creditor country is in a configured set, with an amount
 * at or above a minimum. Keyed on the debtor account; the evidence is the payment itself.
 * <p>
 * Stateless apart from the configured country set, so it behaves the same with any number of workers.
 * Score 700 when one side is in the set, 900 when both are.
 */
public final class HighRiskCountryRule implements Rule
{
    /** Stable rule id. */
    public static final int ID = 16;
    /** Version of the logic. */
    public static final int VERSION = 1;
    /** Default countries: a documented example list only (North Korea, Iran, Myanmar); configure the real one. */
    public static final String[] DEFAULT_COUNTRIES = { "KP", "IR", "MM" };
    /** Default minimum amount in minor units: every payment. */
    public static final long DEFAULT_MIN_AMOUNT = 0;

    private final Int2ObjectHashMap<String> countries = new Int2ObjectHashMap<>();
    private final long minAmount;
    private final Severity severity;

    /**
     * Defaults: {@link #DEFAULT_COUNTRIES}, {@link #DEFAULT_MIN_AMOUNT}, severity HIGH.
     */
    public HighRiskCountryRule()
    {
        this(DEFAULT_COUNTRIES, DEFAULT_MIN_AMOUNT, Severity.HIGH);
    }

    /**
     * @param countries ISO 3166 alpha-2 codes, two upper-case ASCII letters each, at least one.
     * @param minAmount in minor units, 0 or more; payments at or above it alert.
     * @param severity  of the alerts.
     */
    public HighRiskCountryRule(final String[] countries, final long minAmount, final Severity severity)
    {
        if (countries == null || countries.length == 0)
        {
            throw new IllegalArgumentException("high-risk-country countries must not be empty");
        }
        for (final String code : countries)
        {
            if (code == null || code.length() != 2 || !isUpper(code.charAt(0)) || !isUpper(code.charAt(1)))
            {
                throw new IllegalArgumentException("high-risk-country countries: not a two-letter code: " + code);
            }
            this.countries.put(TxEventDecoder.country((byte)code.charAt(0), (byte)code.charAt(1)), code);
        }
        if (minAmount < 0)
        {
            throw new IllegalArgumentException("high-risk-country minAmount must be 0 or more, was " + minAmount);
        }
        if (severity == null)
        {
            throw new IllegalArgumentException("high-risk-country severity must be set");
        }
        this.minAmount = minAmount;
        this.severity = severity;
    }

    private static boolean isUpper(final char c)
    {
        return c >= 'A' && c <= 'Z';
    }

    public int id()
    {
        return ID;
    }

    public int version()
    {
        return VERSION;
    }

    public String name()
    {
        return "high-risk-country";
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        if (event.templateId != PaymentDecoder.TEMPLATE_ID || event.amount < minAmount)
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
            .append(" of ").appendMoney(event.amount, event.currency)
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
