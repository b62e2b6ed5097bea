/**
 * SQL for global search. A broad word can match most of a million messages; ranking all of
 * them is slow, so each query first takes the most recent matches (the planner walks the
 * recency index for common words and the text index for rare ones) and ranks only those.
 * The tsquery is written inline in each candidate filter, never joined in from a CTE: only
 * then can the planner see the words and pick between the two plans (bench/RESULTS.md: a rare
 * word went from 24 s to 30 ms at a million tickets).
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { planPerCall } from '../../db/named-statements.ts';
import { likePrefix } from '../../db/sql.ts';

/** How many recent matches are ranked per kind. */
export const CANDIDATES = 300;

/** Messages matching the query: recent candidates, ranked, with a highlighted snippet. */
export async function searchMessages(db: Executor, q: string, limit: number) {
  const result = await sql<{ id: string; ticket_id: string; ticket_number: number; ticket_subject: string; kind: string; snippet: string; created_at: Date }>`${planPerCall}
    with query as (select websearch_to_tsquery('english', ${q}) as tsq),
    candidates as (
      select m.id, m.ticket_id, m.kind, m.body_text, m.created_at, m.search_vector
      from messages m
      where m.search_vector @@ websearch_to_tsquery('english', ${q}) and m.kind <> 'note'
      order by m.created_at desc
      limit ${CANDIDATES}
    ),
    ranked as (
      select c.*, ts_rank_cd(c.search_vector, query.tsq) as rank
      from candidates c, query
      order by rank desc, c.created_at desc
      limit ${limit}
    )
    select r.id, r.ticket_id, t.number as ticket_number, t.subject as ticket_subject, r.kind, r.created_at,
      ts_headline('english', left(r.body_text, 5000), query.tsq, 'MaxFragments=1, MaxWords=24, MinWords=8, StartSel=<mark>, StopSel=</mark>') as snippet
    from ranked r join tickets t on t.id = r.ticket_id, query
    order by r.rank desc, r.created_at desc
  `.execute(db);
  return result.rows;
}

/** Tickets whose subject matches: recent candidates, ranked. */
export async function searchTicketIdsBySubject(db: Executor, q: string, limit: number) {
  const result = await sql<{ id: string; rank: number }>`${planPerCall}
    with query as (select websearch_to_tsquery('english', ${q}) as tsq),
    candidates as (
      select t.id, t.updated_at, t.search_vector from tickets t
      where t.search_vector @@ websearch_to_tsquery('english', ${q})
      order by t.updated_at desc
      limit ${CANDIDATES}
    )
    select c.id, ts_rank_cd(c.search_vector, query.tsq) as rank from candidates c, query
    order by rank desc, c.updated_at desc
    limit ${limit}
  `.execute(db);
  return result.rows;
}

/** Customers by identity prefix (email, phone) or by name words, driven from the matches' indexes. */
export async function searchCustomers(db: Executor, q: string, limit: number) {
  const prefix = likePrefix(q);
  const result = await sql<{ id: string; name: string | null; email: string | null }>`${planPerCall}
    with matched as (
      select id from customers where search_vector @@ websearch_to_tsquery('simple', ${q})
      union
      select customer_id from customer_identities where value like ${prefix}
    )
    select c.id, c.name,
      (select ci.value from customer_identities ci where ci.customer_id = c.id and ci.kind = 'email' order by ci.is_primary desc limit 1) as email
    from matched m
    join customers c on c.id = m.id
    where c.merged_into_id is null
    order by c.updated_at desc
    limit ${limit}
  `.execute(db);
  return result.rows;
}
