package io.txmon.rules.state;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.txmon.rules.state.AccountStore.NONE;
import static org.junit.jupiter.api.Assertions.*;

class AccountStoreTest
{
    private static final long NO_IDLE = AccountStore.Limits.NO_IDLE_LIMIT;

    @Test
    void anAccountKeepsItsSlotAndEachAccountHasItsOwn()
    {
        final AccountStore store = new AccountStore(new AccountStore.Limits(1000, NO_IDLE));
        final int a = store.touch(11, 1);
        final int b = store.touch(22, 2);
        assertNotEquals(a, b);
        assertEquals(a, store.touch(11, 3));
        assertEquals(a, store.slotOf(11));
        assertEquals(NONE, store.slotOf(33));
        assertEquals(2, store.size());
        assertEquals(3, store.lastSeen(a));
        assertEquals(11, store.account(a));
        assertEquals(List.of(22L, 11L), order(store), "least recently touched first");
    }

    @Test
    void theCapEvictsTheLeastRecentlySeenAndClearsItsColumns()
    {
        final AccountStore store = new AccountStore(new AccountStore.Limits(3, NO_IDLE));
        final AccountStore.LongColumn longs = store.longColumn(this, -1);
        final AccountStore.ObjectColumn<String> objects = store.objectColumn(this);
        for (final long account : new long[]{ 1, 2, 3 })
        {
            final int slot = store.touch(account, account);
            longs.set(slot, account * 10);
            objects.set(slot, "state of " + account);
        }
        store.touch(1, 4);
        final int evictedSlot = store.slotOf(2);
        final int slot = store.touch(4, 5);

        assertEquals(NONE, store.slotOf(2), "2 was the least recently seen");
        assertEquals(1, store.capEvictions());
        assertEquals(0, store.idleEvictions());
        assertEquals(3, store.size());
        assertEquals(evictedSlot, slot, "the freed slot is reused");
        assertEquals(-1, longs.get(slot), "the new account does not see the evicted one's state");
        assertNull(objects.get(slot));
        assertEquals(10, longs.get(store.slotOf(1)));
        assertEquals("state of 3", objects.get(store.slotOf(3)));
        assertEquals(List.of(3L, 1L, 4L), order(store));
    }

    @Test
    void idleAccountsGoWhenANewOneArrivesButNeverTheOneJustSeen()
    {
        final AccountStore store = new AccountStore(new AccountStore.Limits(1000, 10));
        store.touch(1, 0);
        store.touch(2, 5);
        store.touch(3, 12);
        assertEquals(List.of(2L, 3L), order(store), "1 (seen at 0) is older than 12 - 10; 2 (5) is not");
        store.touch(2, 13);
        store.touch(3, 14);
        assertEquals(List.of(2L, 3L), order(store), "seeing held accounts evicts nothing");
        store.touch(4, 24);
        assertEquals(List.of(3L, 4L), order(store), "2 (13) is older than 24 - 10");
        assertEquals(2, store.idleEvictions());
        assertEquals(0, store.capEvictions());

        // the account touched last is never evicted by the next one added (an event's first side must stay
        // valid while its second is added), even when its own time is past the horizon
        final AccountStore late = new AccountStore(new AccountStore.Limits(1000, 10));
        late.touch(1, 100);
        late.touch(2, 50);
        late.touch(1, 100);
        late.touch(3, 200);
        assertEquals(List.of(1L, 3L), order(late), "2 went; 1, touched just before 3 was added, stays");
        assertEquals(1, late.idleEvictions());
    }

    @Test
    void evictionPerAddIsBounded()
    {
        final AccountStore store = new AccountStore(new AccountStore.Limits(1000, 10));
        for (int i = 0; i < 20; i++)
        {
            store.touch(i, 0);
        }
        store.touch(100, 1000);
        assertEquals(AccountStore.IDLE_EVICTIONS_PER_ADD, store.idleEvictions());
        assertEquals(21 - AccountStore.IDLE_EVICTIONS_PER_ADD, store.size());
    }

    @Test
    void growsKeepingEveryAccountAndColumnValue()
    {
        final AccountStore store = new AccountStore(AccountStore.Limits.UNBOUNDED);
        final AccountStore.LongColumn values = store.longColumn(this, Long.MIN_VALUE);
        final Random random = new Random(7);
        final long[] accounts = new long[20_000];
        for (int i = 0; i < accounts.length; i++)
        {
            accounts[i] = random.nextLong();
            values.set(store.touch(accounts[i], i), i);
        }
        assertTrue(store.capacity() >= accounts.length);
        for (int i = 0; i < accounts.length; i++)
        {
            assertEquals(i, values.get(store.slotOf(accounts[i])), "account " + i);
        }
    }

    /** Against a reference model (an access-ordered map): every add, hit, cap and idle eviction. */
    @Test
    void behavesAsAnAccessOrderedMapUnderRandomTraffic()
    {
        for (final long horizon : new long[]{ NO_IDLE, 50, 400 })
        {
            final int cap = 64;
            final AccountStore store = new AccountStore(new AccountStore.Limits(cap, horizon));
            final AccountStore.LongColumn owner = store.longColumn(this, 0);
            final LinkedHashMap<Long, Long> model = new LinkedHashMap<>(16, 0.75f, true);
            final Random random = new Random(horizon);
            long newest = Long.MIN_VALUE;
            long capEvictions = 0;
            long idleEvictions = 0;
            long time = 0;
            for (int i = 0; i < 100_000; i++)
            {
                // accounts collide in the table's low bits and are often re-seen
                final long account = (random.nextInt(200) << 20) + 7;
                time += random.nextInt(5) - 1;
                newest = Math.max(newest, time);
                final Long seen = model.get(account);
                if (null == seen)
                {
                    if (horizon != NO_IDLE)
                    {
                        final Iterator<Map.Entry<Long, Long>> oldest = model.entrySet().iterator();
                        for (int k = 0; k < AccountStore.IDLE_EVICTIONS_PER_ADD && model.size() > 1; k++)
                        {
                            final Map.Entry<Long, Long> entry = oldest.next();
                            if (entry.getValue() >= newest - horizon)
                            {
                                break;
                            }
                            oldest.remove();
                            idleEvictions++;
                        }
                    }
                    if (model.size() >= cap)
                    {
                        final Iterator<Long> oldest = model.keySet().iterator();
                        oldest.next();
                        oldest.remove();
                        capEvictions++;
                    }
                    model.put(account, time);
                }
                else
                {
                    model.put(account, Math.max(seen, time));
                }
                final int slot = store.touch(account, time);
                if (null == seen)
                {
                    assertEquals(0, owner.get(slot), "a new account's column is empty");
                }
                owner.set(slot, account);
            }
            assertEquals(new ArrayList<>(model.keySet()), order(store), "horizon " + horizon);
            assertEquals(capEvictions, store.capEvictions());
            assertEquals(idleEvictions, store.idleEvictions());
            for (final Map.Entry<Long, Long> entry : model.entrySet())
            {
                final int slot = store.slotOf(entry.getKey());
                assertEquals(entry.getValue(), store.lastSeen(slot));
                assertEquals(entry.getKey(), owner.get(slot));
            }
            assertTrue(capEvictions > 0);
        }
    }

    @Test
    void readsBackWhatItWroteInTheSameOrder()
    {
        final AccountStore.Limits limits = new AccountStore.Limits(5, 100);
        final AccountStore store = new AccountStore(limits);
        for (int i = 0; i < 9; i++)
        {
            store.touch(i % 7, i * 10);
        }
        final byte[] written = write(store);

        final AccountStore restored = new AccountStore(limits);
        final AccountStore.LongColumn column = restored.longColumn(this, -5);
        column.set(restored.touch(99, 0), 1);
        read(restored, written, written.length);
        assertEquals(order(store), order(restored));
        assertEquals(store.capEvictions(), restored.capEvictions());
        assertEquals(store.idleEvictions(), restored.idleEvictions());
        assertEquals(NONE, restored.slotOf(99), "what it held before is gone");
        for (int slot = restored.oldest(); slot != NONE; slot = restored.newerThan(slot))
        {
            assertEquals(-5, column.get(slot), "columns are emptied for the rules to read theirs");
            assertEquals(store.lastSeen(store.slotOf(restored.account(slot))), restored.lastSeen(slot));
        }
        assertArrayEquals(written, write(restored));

        // and both go on to evict the same accounts
        store.touch(1000, 500);
        restored.touch(1000, 500);
        assertEquals(order(store), order(restored));
    }

    @Test
    void refusesStateOfOtherLimitsOrDamaged()
    {
        final AccountStore store = new AccountStore(new AccountStore.Limits(5, 100));
        store.touch(1, 1);
        store.touch(2, 2);
        final byte[] written = write(store);

        final StateException other = assertThrows(StateException.class,
            () -> read(new AccountStore(new AccountStore.Limits(6, 100)), written, written.length));
        assertTrue(other.getMessage().contains("max 5 accounts"), other.getMessage());

        for (int length = 0; length < written.length; length++)
        {
            final int cut = length;
            assertThrows(StateException.class,
                () -> read(new AccountStore(new AccountStore.Limits(5, 100)), written, cut), "cut at " + cut);
        }
        final byte[] twice = written.clone();
        // the second account's id made the first's
        System.arraycopy(twice, twice.length - 32, twice, twice.length - 16, 8);
        final StateException held = assertThrows(StateException.class,
            () -> read(new AccountStore(new AccountStore.Limits(5, 100)), twice, twice.length));
        assertTrue(held.getMessage().contains("held twice"), held.getMessage());
    }

    @Test
    void adoptMovesARulesColumnsWithTheirState()
    {
        final Object rule = new Object();
        final AccountStore own = new AccountStore(AccountStore.Limits.UNBOUNDED);
        final AccountStore.LongColumn column = own.longColumn(rule, 0);
        own.touch(5, 1);
        column.set(own.touch(7, 2), 70);

        final AccountStore worker = new AccountStore(new AccountStore.Limits(10, NO_IDLE));
        worker.touch(1, 1);
        worker.adopt(own, rule);
        assertEquals(70, column.get(worker.slotOf(7)), "the column now lives in the worker's store");
        assertEquals(NONE, worker.slotOf(5), "only accounts the column holds state for are added");
        assertEquals(List.of(1L, 7L), order(worker));

        // the worker's store now grows and evicts the column
        for (int i = 100; i < 120; i++)
        {
            worker.touch(i, i);
        }
        assertEquals(NONE, worker.slotOf(7));
        for (int slot = worker.oldest(); slot != NONE; slot = worker.newerThan(slot))
        {
            assertEquals(0, column.get(slot));
        }
    }

    @Test
    void anEvictedAccountsObjectIsResetAndReusedNotDropped()
    {
        final AccountStore store = new AccountStore(new AccountStore.Limits(2, NO_IDLE));
        final List<StringBuilder> resets = new ArrayList<>();
        final AccountStore.ObjectColumn<StringBuilder> column = store.objectColumn(this, (value) ->
        {
            value.setLength(0);
            resets.add(value);
        });
        final AccountStore.ObjectColumn<StringBuilder> plain = store.objectColumn(this);
        final StringBuilder first = new StringBuilder("state of 1");
        column.set(store.touch(1, 1), first);
        plain.set(store.slotOf(1), new StringBuilder("plain state of 1"));
        column.set(store.touch(2, 2), new StringBuilder("state of 2"));
        assertNull(column.reuse(), "nothing evicted yet");

        final int slot = store.touch(3, 3);
        assertNull(column.get(slot), "the new account has no object until it takes one");
        assertEquals(List.of(first), resets);
        final StringBuilder reused = column.reuse();
        assertSame(first, reused, "1's object, reset, is handed out again");
        assertEquals("", reused.toString());
        assertNull(column.reuse());
        assertNull(plain.reuse(), "a column without a reset function keeps nothing");
    }

    @Test
    void limitsAreChecked()
    {
        assertThrows(IllegalArgumentException.class, () -> new AccountStore.Limits(1, NO_IDLE));
        assertThrows(IllegalArgumentException.class, () -> new AccountStore.Limits(10, 0));
        assertEquals(50, new AccountStore.Limits(100, 5).perWorker(2).maxAccounts());
        assertEquals(34, new AccountStore.Limits(100, 5).perWorker(3).maxAccounts());
    }

    private static List<Long> order(final AccountStore store)
    {
        final List<Long> accounts = new ArrayList<>();
        for (int slot = store.oldest(); slot != NONE; slot = store.newerThan(slot))
        {
            accounts.add(store.account(slot));
        }
        assertEquals(store.size(), accounts.size());
        return accounts;
    }

    private static byte[] write(final AccountStore store)
    {
        final StateWriter out = new StateWriter(16);
        store.writeTo(out);
        final byte[] bytes = new byte[out.position()];
        out.buffer().getBytes(0, bytes);
        return bytes;
    }

    private static void read(final AccountStore store, final byte[] bytes, final int length)
    {
        final StateReader in = new StateReader().wrap(new UnsafeBuffer(bytes), 0, length, "accounts");
        store.readFrom(in);
        in.requireEnd();
    }
}
