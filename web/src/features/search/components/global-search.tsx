/**
 * The header search box: `/` focuses it, results drop down grouped by tickets, messages and
 * customers, a ticket number jumps straight to that ticket, and an order or tracking number
 * finds the order in the connected stores and opens its customer.
 */
import { Combobox, Group, Kbd, Loader, Stack, Text, TextInput, useCombobox } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconArrowRight, IconMessage, IconSearch, IconShoppingBag, IconTicket, IconUser } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { displayName } from '../../../ui/format';
import { useShortcuts } from '../../../ui/shortcuts';
import { Snippet } from '../../../ui/snippet';
import { looksLikeOrderReference, orderPath } from '../../orders/api/orders.api';
import { useOrderLookup } from '../../orders/hooks/use-orders';
import { formatMoney } from '../../orders/money';
import { OrderStateBadge } from '../../orders/order-meta';
import { StatusBadge } from '../../tickets/ticket-meta';
import { ticketNumberIn } from '../api/search.api';
import { isSearchable, useSearch } from '../hooks/use-search';

const MAX_PER_GROUP = 5;

/** The global search box with its dropdown. */
export function GlobalSearch() {
  const navigate = useNavigate();
  const inputRef = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 200);
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const results = useSearch(debounced);
  const lookup = useOrderLookup(debounced);
  const number = ticketNumberIn(q);
  const searchable = isSearchable(q);

  useShortcuts([
    [
      '/',
      () => {
        inputRef.current?.focus();
        inputRef.current?.select();
      },
    ],
  ]);

  // Keep the first option selected so Enter does the obvious thing.
  useEffect(() => {
    if (combobox.dropdownOpened) combobox.selectFirstOption();
  }, [results.data, lookup.data, number, combobox.dropdownOpened]);

  const go = (path: string) => {
    combobox.closeDropdown();
    inputRef.current?.blur();
    setQ('');
    void navigate(path);
  };

  const data = searchable ? results.data : undefined;
  const tickets = data?.tickets.slice(0, MAX_PER_GROUP) ?? [];
  const messages = data?.messages.slice(0, MAX_PER_GROUP) ?? [];
  const customers = data?.customers.slice(0, MAX_PER_GROUP) ?? [];
  const orders = looksLikeOrderReference(debounced) ? (lookup.data?.matches.slice(0, 3) ?? []) : [];
  const nothing = data && tickets.length + messages.length + customers.length + orders.length === 0;
  const allPath = `/search?q=${encodeURIComponent(q.trim())}`;

  return (
    <Combobox
      store={combobox}
      onOptionSubmit={go}
      width={520}
      position="bottom-start"
      shadow="md"
      offset={6}
      classNames={{ option: 'sd-search-option' }}
    >
      <Combobox.Target>
        <TextInput
          ref={inputRef}
          data-testid="global-search"
          placeholder="Search tickets, messages, customers"
          aria-label="Search"
          value={q}
          w={{ base: 150, xs: 220, sm: 340, lg: 420 }}
          leftSection={<IconSearch size={15} />}
          rightSection={results.isFetching && searchable ? <Loader size={14} /> : <Kbd size="xs">/</Kbd>}
          rightSectionPointerEvents="none"
          onChange={(event) => {
            setQ(event.currentTarget.value);
            combobox.openDropdown();
          }}
          onFocus={() => combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.currentTarget.blur();
            } else if (event.key === 'Enter' && combobox.getSelectedOptionIndex() === -1 && q.trim()) {
              event.preventDefault();
              const order = orders[0];
              go(order ? orderPath(order) : number !== null ? `/tickets/${number}` : allPath);
            }
          }}
        />
      </Combobox.Target>

      <Combobox.Dropdown hidden={!q.trim()} data-testid="search-dropdown">
        <Combobox.Options mah={480} style={{ overflowY: 'auto' }}>
          {orders.length > 0 && (
            <Combobox.Group label="Orders">
              {orders.map((m) => (
                <Combobox.Option key={`${m.store.id}:${m.order.number}`} value={orderPath(m)} data-testid="search-order">
                  <Group gap="sm" wrap="nowrap">
                    <IconShoppingBag size={15} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0 }} />
                    <Stack gap={0} style={{ minWidth: 0, flex: 1 }}>
                      <Text size="sm" truncate>
                        Order <b>{m.order.number}</b> —{' '}
                        {displayName(m.customer ?? { name: m.order.customer.name, email: m.order.customer.email })}
                      </Text>
                      <Text size="xs" c="dimmed" truncate>
                        {m.matched_by === 'tracking_number' && m.order.tracking ? `Tracking ${m.order.tracking.number} · ` : ''}
                        {m.order.status_label} · {formatMoney(m.order.total)}
                        {lookup.data && lookup.data.matches.length > 1 ? ` · ${m.store.name}` : ''}
                      </Text>
                    </Stack>
                    <OrderStateBadge state={m.order.status} />
                  </Group>
                </Combobox.Option>
              ))}
            </Combobox.Group>
          )}
          {number !== null && (
            <Combobox.Option value={`/tickets/${number}`} data-testid="search-open-ticket">
              <Group gap="xs">
                <IconArrowRight size={15} />
                <Text size="sm">
                  Open ticket <b>#{number}</b>
                </Text>
              </Group>
            </Combobox.Option>
          )}
          {!searchable && number === null && <Combobox.Empty>Type at least two characters</Combobox.Empty>}
          {searchable && !data && results.isError && <Combobox.Empty>Search failed: {results.error.message}</Combobox.Empty>}
          {searchable && !data && results.isPending && <Combobox.Empty>Searching…</Combobox.Empty>}
          {nothing && number === null && <Combobox.Empty>No results for “{q.trim()}”</Combobox.Empty>}

          {tickets.length > 0 && (
            <Combobox.Group label="Tickets">
              {tickets.map((t) => (
                <Combobox.Option key={t.id} value={`/tickets/${t.number}`}>
                  <Group gap="sm" wrap="nowrap">
                    <IconTicket size={15} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0 }} />
                    <Stack gap={0} style={{ minWidth: 0, flex: 1 }}>
                      <Text size="sm" truncate>
                        <Text span c="dimmed" size="sm">
                          #{t.number}
                        </Text>{' '}
                        {t.subject}
                      </Text>
                      {t.highlight ? (
                        <Snippet html={t.highlight} size="xs" c="dimmed" lineClamp={1} />
                      ) : (
                        <Text size="xs" c="dimmed" truncate>
                          {displayName(t.customer)}
                        </Text>
                      )}
                    </Stack>
                    <StatusBadge status={t.status} />
                  </Group>
                </Combobox.Option>
              ))}
            </Combobox.Group>
          )}

          {messages.length > 0 && (
            <Combobox.Group label="Messages">
              {messages.map((m) => (
                <Combobox.Option key={m.id} value={`/tickets/${m.ticket_number}#message-${m.id}`}>
                  <Group gap="sm" wrap="nowrap">
                    <IconMessage size={15} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0 }} />
                    <Stack gap={0} style={{ minWidth: 0, flex: 1 }}>
                      <Text size="sm" truncate>
                        <Text span c="dimmed" size="sm">
                          #{m.ticket_number}
                        </Text>{' '}
                        {m.ticket_subject}
                      </Text>
                      <Snippet html={m.snippet} size="xs" c="dimmed" lineClamp={1} />
                    </Stack>
                  </Group>
                </Combobox.Option>
              ))}
            </Combobox.Group>
          )}

          {customers.length > 0 && (
            <Combobox.Group label="Customers">
              {customers.map((c) => (
                <Combobox.Option key={c.id} value={`/customers/${c.id}`}>
                  <Group gap="sm" wrap="nowrap">
                    <IconUser size={15} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0 }} />
                    <Text size="sm" truncate>
                      {displayName(c)}
                      {c.name && c.email && (
                        <Text span size="xs" c="dimmed">
                          {' '}
                          {c.email}
                        </Text>
                      )}
                    </Text>
                  </Group>
                </Combobox.Option>
              ))}
            </Combobox.Group>
          )}

          {searchable && data && !nothing && (
            <Combobox.Option value={allPath}>
              <Group gap="xs">
                <IconSearch size={15} />
                <Text size="sm">See all results for “{q.trim()}”</Text>
              </Group>
            </Combobox.Option>
          )}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
