/** The consistency report. */
import { api } from '../../../api/client';
import type { Money } from '../../../api/types';

export interface ConsistencyReport {
  from: string;
  to: string;
  store_id: string | null;
  problems: { problem_kind: string; playbook_name: string | null; total: number; standard: number; deviations: number; standard_rate: number; reasons: { reason: string; action: string; count: number }[] }[];
  spend_by_agent: { agent_id: string | null; name: string | null; spent: Money; count: number }[];
  spend_by_remedy: { remedy: string; spent: Money; count: number }[];
  spend_by_reason: { reason: string; spent: Money; count: number }[];
  approvals: { total: number; pending: number; approved: number; refused: number; median_seconds: number | null; p90_seconds: number | null };
  /** The remedies behind the numbers, newest first: which ticket got what, from whom. */
  remedies: ReportRemedy[];
}

/** One remedy given in the report's range. */
export interface ReportRemedy {
  at: string;
  action: string;
  remedy: string;
  order_number: string;
  ticket_number: number | null;
  amount: Money | null;
  agent_name: string | null;
  /** The manager who approved it, when it was above the agent's authority. */
  approved_by: string | null;
  problem_kind: string | null;
  standard_remedy: boolean | null;
  reason: string | null;
}

export function fetchConsistencyReport(q: { from: string; to: string; storeId: string | null }, signal?: AbortSignal) {
  return api<ConsistencyReport>('/reports/consistency', { query: { from: q.from, to: q.to, store_id: q.storeId }, signal });
}
