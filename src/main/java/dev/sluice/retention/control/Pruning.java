package dev.sluice.retention.control;

import dev.sluice.messages.entity.Message;
import dev.sluice.messages.entity.MessageId;
import dev.sluice.messages.entity.MessageState;
import dev.sluice.retention.entity.RetentionPolicy;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Deletes the oldest rows that are over, a bounded batch per transaction, so no lock is held long. */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class Pruning {

    private static final Set<MessageState> ENDED = EnumSet.of(MessageState.DELIVERED, MessageState.CANCELLED,
            MessageState.FAILED);

    /** what a search reads of a message: id, state, DLQ id, last change */
    private static final String READ = "SELECT m.id, m.state, m.dlqId, m.updatedAt FROM Message m";
    private static final int ID = 0;
    private static final int DLQ_ID = 2;

    @PersistenceContext
    EntityManager em;

    /**
     * What one batch read and deleted (a row that changed since it was read is not deleted), the last message id it
     * read, and the messages it read that ended but are not over yet, with when they will be if they do not change.
     */
    public record Batch(int read, int deleted, String last, List<Later> later) {

        public Batch(int read, int deleted, String last) {
            this(read, deleted, last, List.of());
        }
    }

    /** An ended message (not in the DLQ) that is over from {@code overAt} on if it does not change. */
    public record Later(String id, long overAt) {
    }

    public Batch prune(Prunable kind, long before, int size) {
        List<?> ids = em.createQuery(kind.search).setParameter("before", kind.searchBound(before)).setMaxResults(size)
                .getResultList();
        if (ids.isEmpty()) {
            return new Batch(0, 0, null);
        }
        Query deletion = em.createQuery(kind.deletion).setParameter("ids", ids);
        if (kind.deletionRechecksTime) {
            deletion.setParameter("before", before);
        }
        return new Batch(ids.size(), deletion.executeUpdate(), null);
    }

    /**
     * Reads the next messages in id order after {@code after} (null: from the first), up to {@code through}
     * (inclusive) or, when it is null, among those made early enough to be over as ended messages (dead letters are
     * found through their DLQ ids, {@link #pruneDeadLetters}), and deletes those that are. The search walks the
     * primary key only: the state index would have the database read every delivered message to find the few old
     * ones.
     */
    public Batch pruneMessages(RetentionPolicy policy, long now, String after, String through, int size) {
        String bound = through == null ? "m.id < :bound" : "m.id <= :bound";
        return pruneRead(em.createQuery(READ + " WHERE m.id > :after AND " + bound + " ORDER BY m.id", Object[].class)
                .setParameter("after", after == null ? "" : after)
                .setParameter("bound", through == null
                        ? MessageId.leastAt(Message.ID_PREFIX,
                                RetentionPolicy.cutoff(policy.finished(), now).orElseThrow()) : through)
                .setMaxResults(size).getResultList(), policy, now, after, ID);
    }

    /**
     * Reads the next entries of the DLQ in the order of their DLQ ids after {@code after} (null: from the first), among
     * those that entered it early enough to be over, and deletes those that are. A DLQ id begins with the time the
     * message failed, its last change while it stays in the DLQ, so this reads (through the DLQ index) the entries
     * that are over and hardly any other.
     */
    public Batch pruneDeadLetters(RetentionPolicy policy, long now, String after, int size) {
        long failedBefore = RetentionPolicy.cutoff(policy.deadLetters(), now).orElseThrow();
        return pruneRead(em.createQuery(READ + " WHERE m.dlqId > :after AND m.dlqId < :bound ORDER BY m.dlqId",
                        Object[].class)
                .setParameter("after", after == null ? "" : after)
                .setParameter("bound", MessageId.leastAt(Message.DLQ_ID_PREFIX, failedBefore))
                .setMaxResults(size).getResultList(), policy, now, after, DLQ_ID);
    }

    /** Reads these messages and deletes those over. */
    public Batch pruneMessages(RetentionPolicy policy, long now, List<String> ids) {
        return pruneRead(em.createQuery(READ + " WHERE m.id IN :ids", Object[].class).setParameter("ids", ids)
                .getResultList(), policy, now, null, ID);
    }

    /** The rows are ({@link #READ}); the batch's last is the last row's value in the column {@code cursor}. */
    private Batch pruneRead(List<Object[]> rows, RetentionPolicy policy, long now, String after, int cursor) {
        List<String> over = new ArrayList<>();
        List<Later> later = new ArrayList<>();
        for (Object[] row : rows) {
            MessageState state = (MessageState) row[1];
            boolean deadLetter = row[2] != null;
            long updatedAt = (Long) row[3];
            if (policy.isOver(state, deadLetter, updatedAt, now)) {
                over.add((String) row[0]);
            } else if (state.isFinal() && !deadLetter && !policy.finished().isZero()) {
                later.add(new Later((String) row[0], updatedAt + policy.finished().toMillis()));
            }
        }
        return new Batch(rows.size(), delete(over, policy, now),
                rows.isEmpty() ? after : (String) rows.get(rows.size() - 1)[cursor], later);
    }

    /** Deletes those of the messages still over: the conditions of {@link RetentionPolicy#isOver}, in JPQL. */
    private int delete(List<String> ids, RetentionPolicy policy, long now) {
        return ids.isEmpty() ? 0 : em.createQuery("DELETE FROM Message m WHERE m.id IN :ids AND m.state IN :ended"
                        + " AND ((m.dlqId IS NULL AND m.updatedAt < :endedBefore)"
                        + " OR (m.dlqId IS NOT NULL AND m.state = :failed AND m.updatedAt < :deadLettersBefore))")
                .setParameter("ids", ids).setParameter("ended", ENDED).setParameter("failed", MessageState.FAILED)
                .setParameter("endedBefore", cutoffOrNone(policy.finished(), now))
                .setParameter("deadLettersBefore", cutoffOrNone(policy.deadLetters(), now))
                .executeUpdate();
    }

    /** kept forever: no time is before it */
    private static long cutoffOrNone(Duration kept, long now) {
        return RetentionPolicy.cutoff(kept, now).orElse(Long.MIN_VALUE);
    }
}
