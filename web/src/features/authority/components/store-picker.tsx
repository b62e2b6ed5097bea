/** A store chooser for manager pages; remembers nothing, picks the first store by default. */
import { Select } from '@mantine/core';
import { useEffect } from 'react';
import { useStores } from '../../stores/hooks/use-stores';

/** Chooses a store; calls `onChange` with the first store once they load. */
export function StorePicker({ value, onChange, allowAll = false }: { value: string | null; onChange: (id: string | null) => void; allowAll?: boolean }) {
  const stores = useStores();
  const first = stores.data?.[0]?.id ?? null;
  useEffect(() => {
    if (!value && first && !allowAll) onChange(first);
  }, [value, first, allowAll, onChange]);
  if (!stores.data || (stores.data.length < 2 && !allowAll)) return null;
  return (
    <Select
      size="sm"
      w={220}
      aria-label="Store"
      data={[...(allowAll ? [{ value: '', label: 'All stores' }] : []), ...stores.data.map((s) => ({ value: s.id, label: s.name }))]}
      value={value ?? ''}
      onChange={(v) => onChange(v ? v : null)}
      allowDeselect={false}
      data-testid="store-picker"
    />
  );
}
