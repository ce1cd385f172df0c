package io.txmon.scenario;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Arrays;

import static io.txmon.scenario.Times.DAY;

/**
 * One simulated day of the {@link BankingTraffic banking background}, as the banks' calendar sees it: the civil
 * date (UTC), whether payments clear that day, which due dates of the month fall on it, which payroll days it is,
 * and how much more or less people spend by card than on an average day.
 * <p>
 * Business days are Monday to Friday except 1 January, 25 and 26 December. A standing order, direct debit or
 * invoice due on day-of-month {@code k} (1 to 28) is paid on the first business day on or after it
 * ({@link #isDue(int)}); a payroll is paid on the last business day on or before its pay day
 * ({@link #isPayday(int)}), so that salaries never arrive late.
 * <p>
 * {@link #moveTo(long)} fills the instance for a day; it allocates a few {@link LocalDate}s per day, never per event.
 */
final class BankingCalendar
{
    /** Paid on the 25th, or the business day before. */
    static final int PAY_25TH = 0;
    /** Paid on the 28th, or the business day before. */
    static final int PAY_28TH = 1;
    /** Paid on the last business day of the month. */
    static final int PAY_LAST = 2;
    /** Paid on the first business day of the month: pensions. */
    static final int PAY_FIRST = 3;
    /** Kinds of pay day. */
    static final int PAY_KINDS = 4;

    /** Latest day of the month a due date may be: every month has it. */
    static final int LAST_DUE_DAY = 28;

    private final boolean[] due = new boolean[32];
    private final boolean[] payday = new boolean[PAY_KINDS];

    long epochDay;
    long dayStart;
    int year;
    int month;
    int dayOfMonth;
    /** 1 for Monday to 7 for Sunday. */
    int dayOfWeek;
    boolean businessDay;
    /** Months since year 0: one number per month, for keys of monthly choices. */
    int monthNumber;
    /** Epoch day of 1 July of the day's year: summer holidays start from it. */
    long julyFirst;
    /** Epoch day of 1 April of the day's year: tax refunds come from it. */
    long aprilFirst;
    /** Epoch day of the first of the day's month. */
    long monthStart;
    /** Epoch day of the first of the month before. */
    long previousMonthStart;
    /** First epoch day whose payments due are paid today: the day after the previous business day. */
    long dueFrom;

    /**
     * Fill in the day.
     *
     * @param day epoch day.
     * @return this.
     */
    BankingCalendar moveTo(final long day)
    {
        final LocalDate date = LocalDate.ofEpochDay(day);
        epochDay = day;
        dayStart = day * DAY;
        year = date.getYear();
        month = date.getMonthValue();
        dayOfMonth = date.getDayOfMonth();
        dayOfWeek = date.getDayOfWeek().getValue();
        monthNumber = year * 12 + month - 1;
        julyFirst = LocalDate.of(year, 7, 1).toEpochDay();
        aprilFirst = LocalDate.of(year, 4, 1).toEpochDay();
        monthStart = date.withDayOfMonth(1).toEpochDay();
        previousMonthStart = date.withDayOfMonth(1).minusMonths(1).toEpochDay();
        businessDay = isBusinessDay(date);
        dueFrom = day + 1;

        Arrays.fill(due, false);
        if (businessDay)
        {
            LocalDate covered = date;
            do
            {
                due[covered.getDayOfMonth()] = true;
                dueFrom = covered.toEpochDay();
                covered = covered.minusDays(1);
            }
            while (!isBusinessDay(covered));
        }

        Arrays.fill(payday, false);
        if (businessDay)
        {
            payday[PAY_25TH] = date.equals(businessDayOnOrBefore(date.withDayOfMonth(25)));
            payday[PAY_28TH] = date.equals(businessDayOnOrBefore(date.withDayOfMonth(28)));
            payday[PAY_LAST] = date.equals(businessDayOnOrBefore(date.withDayOfMonth(date.lengthOfMonth())));
            payday[PAY_FIRST] = date.equals(businessDayOnOrAfter(date.withDayOfMonth(1)));
        }

        return this;
    }

    /**
     * @param dueDayOfMonth 1 to {@link #LAST_DUE_DAY}.
     * @return true if a payment due on that day of the month is paid today.
     */
    boolean isDue(final int dueDayOfMonth)
    {
        return due[dueDayOfMonth];
    }

    /**
     * @param day epoch day a payment falls due.
     * @return true if it is paid today: today is the first business day on or after it.
     */
    boolean isDueOn(final long day)
    {
        return day >= dueFrom && day <= epochDay;
    }

    /**
     * @param kind of pay day, {@link #PAY_25TH} to {@link #PAY_FIRST}.
     * @return true if payrolls of that kind are paid today.
     */
    boolean isPayday(final int kind)
    {
        return payday[kind];
    }

    /**
     * @return true in the three days from the end-of-month pay days on: people spend their new salary.
     */
    boolean isAfterPayday()
    {
        return dayOfMonth >= 25 || dayOfMonth <= 2;
    }

    /**
     * How much people buy by card today against an average day: more on Saturdays and much less on Sundays and
     * public holidays, more after the end-of-month pay days, a December peak up to Christmas Eve and a quiet
     * January, Black Friday (the fourth Friday of November) at nearly twice the usual.
     *
     * @return the factor, around 1.
     */
    double cardFactor()
    {
        double factor = 1.0;
        if (7 == dayOfWeek || (!businessDay && dayOfWeek < 6))
        {
            factor = 0.55;
        }
        else if (6 == dayOfWeek)
        {
            factor = 1.3;
        }

        if (12 == month)
        {
            factor *= dayOfMonth <= 23 ? 1.4 : 24 == dayOfMonth ? 1.2 : dayOfMonth <= 26 ? 0.7 : 1.0;
        }
        else if (1 == month)
        {
            factor *= 0.85;
        }
        else if (11 == month && 5 == dayOfWeek && dayOfMonth >= 22 && dayOfMonth <= 28)
        {
            factor *= 1.9;
        }

        return isAfterPayday() ? factor * 1.1 : factor;
    }

    /**
     * @return how much a household's energy bill is against the year's mean: more in winter, less in summer.
     */
    double energyFactor()
    {
        switch (month)
        {
            case 12:
            case 1:
            case 2:
                return 1.4;
            case 6:
            case 7:
            case 8:
                return 0.75;
            default:
                return 1.0;
        }
    }

    static boolean isBusinessDay(final LocalDate date)
    {
        final DayOfWeek dow = date.getDayOfWeek();
        if (DayOfWeek.SATURDAY == dow || DayOfWeek.SUNDAY == dow)
        {
            return false;
        }
        final int dom = date.getDayOfMonth();
        final int month = date.getMonthValue();
        return !((1 == month && 1 == dom) || (12 == month && (25 == dom || 26 == dom)));
    }

    private static LocalDate businessDayOnOrBefore(final LocalDate date)
    {
        LocalDate day = date;
        while (!isBusinessDay(day))
        {
            day = day.minusDays(1);
        }
        return day;
    }

    private static LocalDate businessDayOnOrAfter(final LocalDate date)
    {
        LocalDate day = date;
        while (!isBusinessDay(day))
        {
            day = day.plusDays(1);
        }
        return day;
    }
}
