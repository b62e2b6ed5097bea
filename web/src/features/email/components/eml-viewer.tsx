/**
 * Shows an original email (.eml): its headers, the message as text or HTML, its attachments,
 * and the raw source, with a download link for the file itself.
 */
import { Alert, Box, Button, Code, Group, Modal, Paper, ScrollArea, Skeleton, Stack, Table, Tabs, Text } from '@mantine/core';
import { IconAlertTriangle, IconDownload, IconInfoCircle, IconMail, IconPaperclip } from '@tabler/icons-react';
import { useMemo } from 'react';
import { errorMessage, isApiError } from '../../../api/client';
import { formatBytes, formatDateTime } from '../../../ui/format';
import { SafeHtml } from '../../../ui/safe-html';
import { parseEml } from '../eml';
import { useRawEmail } from '../hooks/use-email';

/** Source shown on screen is cut here; the download always has everything. */
const SOURCE_LIMIT = 200_000;

const SHOWN_HEADERS = ['From', 'To', 'Cc', 'Reply-To', 'Subject', 'Date', 'Message-ID', 'In-Reply-To'];

function EmlBody({ raw }: { raw: string }) {
  const eml = useMemo(() => parseEml(raw), [raw]);
  const rows: Array<[string, string]> = SHOWN_HEADERS.flatMap((name): Array<[string, string]> => {
    const value = eml.header(name);
    if (!value) return [];
    const parsed = name === 'Date' ? new Date(value) : null;
    const date = parsed && !Number.isNaN(parsed.getTime()) ? formatDateTime(parsed.toISOString()) : '';
    return [[name, date || value]];
  });
  return (
    <Stack gap="sm">
      <Paper withBorder radius="sm" p="xs" data-testid="eml-headers">
        <Table verticalSpacing={2} horizontalSpacing="xs" withRowBorders={false}>
          <Table.Tbody>
            {rows.map(([name, value]) => (
              <Table.Tr key={name}>
                <Table.Td w={100} c="dimmed" fz="xs" style={{ verticalAlign: 'top' }}>
                  {name}
                </Table.Td>
                <Table.Td fz="xs" style={{ wordBreak: 'break-word' }}>
                  {value}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <Tabs defaultValue={eml.html ? 'html' : 'text'} keepMounted={false}>
        <Tabs.List>
          {eml.html && <Tabs.Tab value="html">Message</Tabs.Tab>}
          <Tabs.Tab value="text">{eml.html ? 'Plain text' : 'Message'}</Tabs.Tab>
          <Tabs.Tab value="source">Source</Tabs.Tab>
        </Tabs.List>
        {eml.html && (
          <Tabs.Panel value="html" pt="sm">
            <ScrollArea.Autosize mah="50vh">
              <SafeHtml html={eml.html} />
            </ScrollArea.Autosize>
          </Tabs.Panel>
        )}
        <Tabs.Panel value="text" pt="sm">
          <ScrollArea.Autosize mah="50vh">
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="eml-text">
              {eml.text ?? 'This email has no plain-text part.'}
            </Text>
          </ScrollArea.Autosize>
        </Tabs.Panel>
        <Tabs.Panel value="source" pt="sm">
          <ScrollArea.Autosize mah="50vh">
            <Code block fz="xs" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
              {raw.length > SOURCE_LIMIT
                ? `${raw.slice(0, SOURCE_LIMIT)}\n\n… (${formatBytes(raw.length - SOURCE_LIMIT)} more in the download)`
                : raw}
            </Code>
          </ScrollArea.Autosize>
        </Tabs.Panel>
      </Tabs>
      {eml.attachments.length > 0 && (
        <Group gap="xs">
          {eml.attachments.map((a, i) => (
            <Paper key={i} withBorder radius="sm" px="sm" py={4}>
              <Group gap={6} wrap="nowrap">
                <IconPaperclip size={13} />
                <Text size="xs" maw={220} truncate>
                  {a.filename}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatBytes(a.size)}
                </Text>
              </Group>
            </Paper>
          ))}
        </Group>
      )}
    </Stack>
  );
}

/** The viewer dialog; `url` is the .eml's address in the API (null: closed). */
export function EmlViewer({ url, title, onClose }: { url: string | null; title?: string; onClose: () => void }) {
  const raw = useRawEmail(url);
  return (
    <Modal
      opened={url !== null}
      onClose={onClose}
      size="xl"
      title={
        <Group gap="xs">
          <IconMail size={18} />
          <Text fw={650}>{title ?? 'Original email'}</Text>
        </Group>
      }
    >
      <Box data-testid="eml-viewer">
        {raw.isPending ? (
          <Stack gap="xs" aria-busy="true">
            <Skeleton h={90} />
            <Skeleton h={200} />
          </Stack>
        ) : raw.isLoadingError && isApiError(raw.error) && raw.error.status === 404 ? (
          <Alert
            color="gray"
            variant="light"
            icon={<IconInfoCircle size={16} />}
            title="No original email is kept for this message"
            data-testid="eml-missing"
          >
            It did not arrive as an email storedesk received itself (it was imported, created by the demo, or sent before storedesk kept
            originals), so there is no .eml to show.
          </Alert>
        ) : raw.isLoadingError ? (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />} title="The original email could not be loaded">
            {errorMessage(raw.error)}
          </Alert>
        ) : (
          <EmlBody raw={raw.data} />
        )}
        {url && raw.data !== undefined && (
          <Group justify="flex-end" mt="md">
            <Button component="a" href={url} download variant="default" leftSection={<IconDownload size={15} />}>
              Download .eml
            </Button>
          </Group>
        )}
      </Box>
    </Modal>
  );
}
