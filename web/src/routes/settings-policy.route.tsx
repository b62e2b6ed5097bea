/**
 * Settings → Policy: a store's returns, exchanges, warranty and refund rules as a structured
 * form, with the plain-language summary updating as you edit, saving a new version with a note,
 * and the history of who changed what. Managers and admins.
 */
import { Alert, Badge, Button, Grid, Group, Paper, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconDeviceFloppy, IconHistory } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { errorMessage, isApiError } from '../api/client';
import { NoStoreState, useStoresState } from '../features/authority/components/store-states';
import type { PolicyDocument } from '../features/policies/api/policies.api';
import { PolicyEditor } from '../features/policies/components/policy-editor';
import { usePolicy, usePolicyPreview, usePolicyVersions, useSavePolicy } from '../features/policies/hooks/use-policies';
import { useStores } from '../features/stores/hooks/use-stores';
import { formatDateTime } from '../ui/format';
import { notifySuccess } from '../ui/notify';
import { PageHeader } from '../ui/page-header';
import { EmptyState, ErrorState, ListSkeleton, StaleDataNotice } from '../ui/states';

/** Field errors keyed under the document (`returns.window_days`), from a problem's `document.…` fields. */
function documentErrors(error: unknown): Record<string, string> {
  if (!isApiError(error)) return {};
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(error.fieldErrors)) out[field.replace(/^document\./, '')] = message;
  return out;
}

export default function PolicyRoute() {
  const stores = useStores();
  const [params, setParams] = useSearchParams();
  const storeId = params.get('store') ?? stores.data?.[0]?.id ?? null;
  const store = stores.data?.find((s) => s.id === storeId) ?? null;
  const policy = usePolicy(storeId);
  const versions = usePolicyVersions(storeId);
  const save = useSavePolicy(storeId);
  const [draft, setDraft] = useState<PolicyDocument | null>(null);
  const [note, setNote] = useState('');
  const [debounced] = useDebouncedValue(draft, 400);
  const preview = usePolicyPreview(storeId, debounced);
  const storesState = useStoresState('Store policies', 4);

  // A fresh start whenever another store or another version is loaded.
  const loadedKey = policy.data ? `${policy.data.store_id}:${policy.data.version}` : null;
  useEffect(() => {
    if (policy.data) setDraft(structuredClone(policy.data.document));
  }, [loadedKey]); // eslint-disable-line react-hooks/exhaustive-deps

  const dirty = draft !== null && policy.data !== undefined && JSON.stringify(draft) !== JSON.stringify(policy.data.document);
  const fieldErrors = { ...documentErrors(preview.error), ...documentErrors(save.error) };

  if (storesState) return storesState;
  if (!stores.data || !store) return <NoStoreState what="Store policies" />;

  const onSave = () => {
    if (!draft || !policy.data) return;
    save.mutate(
      { document: draft, change_note: note.trim(), base_version: policy.data.version },
      {
        onSuccess: (v) => {
          setNote('');
          notifySuccess(`Version ${v.version} of the ${store.name} policy is now in force.`, 'Policy saved');
        },
      },
    );
  };

  let editor;
  if (policy.isPending || !draft) editor = <ListSkeleton rows={6} height={80} />;
  else if (policy.isLoadingError) editor = <ErrorState error={policy.error} title="Could not load the policy" onRetry={() => void policy.refetch()} />;
  else editor = <PolicyEditor document={draft} onChange={setDraft} errors={fieldErrors} currency={store.currency} />;

  const summary = preview.data?.summary ?? policy.data?.summary ?? [];
  return (
    <Stack gap="md" p="md" maw={1280}>
      <PageHeader
        title="Store policy"
        description="What customers can get, when and how much. Agents and the eligibility checks in front of every order action follow the version in force."
        actions={
          stores.data.length > 1 ? (
            <Select
              aria-label="Store"
              allowDeselect={false}
              data={stores.data.map((s) => ({ value: s.id, label: s.name }))}
              value={store.id}
              onChange={(v) => v && setParams({ store: v })}
              w={240}
            />
          ) : undefined
        }
      />
      <StaleDataNotice query={policy} what="the policy" />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>{editor}</Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md" style={{ position: 'sticky', top: 16 }}>
            <Paper withBorder radius="md" p="md" data-testid="policy-summary">
              <Group justify="space-between" mb="xs">
                <Title order={4}>In plain words</Title>
                {policy.data && (
                  <Badge variant="light" color={policy.data.is_default ? 'gray' : 'indigo'}>
                    {policy.data.is_default ? 'Default policy' : `Version ${policy.data.version}`}
                  </Badge>
                )}
              </Group>
              {preview.isError && (
                <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />} mb="sm" title="This policy cannot be saved yet">
                  {errorMessage(preview.error)}
                </Alert>
              )}
              <Stack gap={6} style={{ opacity: preview.isFetching ? 0.6 : 1 }}>
                {summary.map((s, i) => (
                  <Text key={`${s.clause}-${i}`} size="sm" data-testid="policy-clause" data-clause={s.clause}>
                    {s.text}
                  </Text>
                ))}
              </Stack>
              {dirty && preview.data && preview.data.changes.length > 0 && (
                <Stack gap={2} mt="sm">
                  <Text size="xs" fw={600} c="dimmed">
                    Your changes
                  </Text>
                  {preview.data.changes.map((c, i) => (
                    <Text key={i} size="xs">
                      {c}
                    </Text>
                  ))}
                </Stack>
              )}
              <Textarea mt="md" label="Change note" placeholder="Why: e.g. Holiday returns for this year" data-testid="policy-change-note" value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} autosize minRows={2} />
              {save.isError && (
                <Alert color="red" variant="light" mt="sm" icon={<IconAlertTriangle size={16} />} title="Not saved">
                  {errorMessage(save.error)}
                  {isApiError(save.error) && save.error.status === 409 && (
                    <Button size="xs" variant="light" mt="xs" onClick={() => { save.reset(); void policy.refetch(); }}>
                      Load the newest version
                    </Button>
                  )}
                </Alert>
              )}
              <Group justify="flex-end" mt="sm">
                <Button variant="default" disabled={!dirty || save.isPending} onClick={() => policy.data && setDraft(structuredClone(policy.data.document))}>
                  Discard changes
                </Button>
                <Button leftSection={<IconDeviceFloppy size={16} />} disabled={!dirty || preview.isError} loading={save.isPending} onClick={onSave} data-testid="policy-save">
                  Save new version
                </Button>
              </Group>
            </Paper>

            <Paper withBorder radius="md" p="md" data-testid="policy-history">
              <Group gap="xs" mb="xs">
                <IconHistory size={18} />
                <Title order={4}>History</Title>
              </Group>
              {versions.isPending && <ListSkeleton rows={3} height={40} />}
              <StaleDataNotice query={versions} what="the history" compact mb="xs" />
              {versions.isLoadingError && <ErrorState compact error={versions.error} title="Could not load the history" onRetry={() => void versions.refetch()} />}
              {versions.data?.length === 0 && <EmptyState compact title="Never changed: the default policy is in force." />}
              <Stack gap="sm">
                {versions.data?.map((v) => (
                  <div key={v.version} data-testid="policy-version">
                    <Group gap="xs" wrap="nowrap">
                      <Badge size="sm" variant="light">
                        v{v.version}
                      </Badge>
                      <Text size="sm" fw={600}>
                        {v.created_by?.name ?? 'Unknown'}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {formatDateTime(v.created_at)}
                      </Text>
                    </Group>
                    {v.change_note && (
                      <Text size="sm" mt={2}>
                        “{v.change_note}”
                      </Text>
                    )}
                    {v.changes.map((c, i) => (
                      <Text key={i} size="xs" c="dimmed">
                        {c}
                      </Text>
                    ))}
                  </div>
                ))}
              </Stack>
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
