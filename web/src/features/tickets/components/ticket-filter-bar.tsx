/**
 * The list's filter bar: status, priority, channel, assignee, team, tag and keywords.
 * Every change goes to the URL, so a filtered list can be shared, bookmarked or saved as a view.
 */
import { Button, Group, MultiSelect, Select, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconBookmarkPlus, IconFilterOff, IconSearch, IconTag } from '@tabler/icons-react';
import { useEffect, useState, type ComponentProps } from 'react';
import type { TicketFilters } from '../../../api/types';
import { useAgents, useTeams } from '../../agents/hooks/use-agents';
import type { FilterKey } from '../../views/builtin-views';
import { CHANNELS, CHANNEL_META, PRIORITIES, PRIORITY_META, STATUSES, STATUS_META } from '../ticket-meta';

/** Text field that reports its value after a pause and on Enter. */
function DebouncedInput({
  value,
  onCommit,
  ...props
}: { value: string; onCommit: (value: string) => void } & Omit<ComponentProps<typeof TextInput>, 'value' | 'onChange'>) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const commit = useDebouncedCallback((next: string) => onCommit(next.trim()), 400);
  return (
    <TextInput
      {...props}
      value={draft}
      onChange={(event) => {
        setDraft(event.currentTarget.value);
        commit(event.currentTarget.value);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter') onCommit(draft.trim());
        if (event.key === 'Escape') event.currentTarget.blur();
      }}
    />
  );
}

/** Filter controls; `onChange(key, value)` with '' meaning "any". */
export function TicketFilterBar({
  filters,
  modified,
  onChange,
  onReset,
  onSave,
}: {
  filters: TicketFilters;
  modified: boolean;
  onChange: (key: FilterKey, value: string) => void;
  onReset: () => void;
  onSave: () => void;
}) {
  const agents = useAgents();
  const teams = useTeams();
  const assigneeOptions = [
    { value: 'me', label: 'Me' },
    { value: 'none', label: 'Unassigned' },
    ...(agents.data ?? []).filter((a) => a.is_active).map((a) => ({ value: a.id, label: a.name })),
  ];
  const statusValue = filters.status ? filters.status.split(',').filter(Boolean) : [];

  return (
    <Group gap="xs" wrap="wrap" data-testid="ticket-filters">
      <MultiSelect
        size="xs"
        w={statusValue.length > 2 ? 300 : 210}
        placeholder={statusValue.length ? undefined : 'Any status'}
        data={STATUSES.map((s) => ({ value: s, label: STATUS_META[s].label }))}
        value={statusValue}
        onChange={(values) => onChange('status', STATUSES.filter((s) => values.includes(s)).join(','))}
        clearable
        aria-label="Status"
        data-testid="filter-status"
        comboboxProps={{ withinPortal: true }}
      />
      <Select
        size="xs"
        w={130}
        placeholder="Any priority"
        data={PRIORITIES.map((p) => ({ value: p, label: PRIORITY_META[p].label }))}
        value={filters.priority ?? null}
        onChange={(v) => onChange('priority', v ?? '')}
        clearable
        aria-label="Priority"
        data-testid="filter-priority"
      />
      <Select
        size="xs"
        w={140}
        placeholder="Any channel"
        data={CHANNELS.map((c) => ({ value: c, label: CHANNEL_META[c].label }))}
        value={filters.channel ?? null}
        onChange={(v) => onChange('channel', v ?? '')}
        clearable
        aria-label="Channel"
        data-testid="filter-channel"
      />
      <Select
        size="xs"
        w={160}
        placeholder="Any assignee"
        data={assigneeOptions}
        value={filters.assignee ?? null}
        onChange={(v) => onChange('assignee', v ?? '')}
        clearable
        searchable
        aria-label="Assignee"
        data-testid="filter-assignee"
      />
      {(teams.data?.length ?? 0) > 0 && (
        <Select
          size="xs"
          w={140}
          placeholder="Any team"
          data={(teams.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
          value={filters.team ?? null}
          onChange={(v) => onChange('team', v ?? '')}
          clearable
          aria-label="Team"
          data-testid="filter-team"
        />
      )}
      <DebouncedInput
        size="xs"
        w={130}
        placeholder="Tag"
        leftSection={<IconTag size={13} />}
        value={filters.tag ?? ''}
        onCommit={(v) => onChange('tag', v)}
        aria-label="Tag"
        data-testid="filter-tag"
      />
      <DebouncedInput
        size="xs"
        w={180}
        placeholder="Keywords"
        leftSection={<IconSearch size={13} />}
        value={filters.q ?? ''}
        onCommit={(v) => onChange('q', v)}
        aria-label="Keywords"
        data-testid="filter-q"
      />
      {modified && (
        <Tooltip label="Back to this view's own filters">
          <Button
            size="xs"
            variant="subtle"
            color="gray"
            leftSection={<IconFilterOff size={14} />}
            onClick={onReset}
            data-testid="filter-reset"
          >
            Reset
          </Button>
        </Tooltip>
      )}
      <Button
        size="xs"
        variant={modified ? 'light' : 'subtle'}
        leftSection={<IconBookmarkPlus size={14} />}
        onClick={onSave}
        data-testid="save-view"
      >
        Save view
      </Button>
    </Group>
  );
}
