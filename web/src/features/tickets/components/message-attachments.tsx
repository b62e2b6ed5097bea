/**
 * A message's attachments: an icon for the kind of file (a thumbnail for images), the name and
 * the size. The server serves anything a browser could run as a download.
 */
import { Anchor, Box, Group, Image, Paper, Stack, Text, Tooltip } from '@mantine/core';
import {
  IconFile,
  IconFileSpreadsheet,
  IconFileText,
  IconFileTypeDoc,
  IconFileTypePdf,
  IconFileZip,
  IconMusic,
  IconPhoto,
  IconVideo,
  type Icon,
} from '@tabler/icons-react';
import type { Attachment } from '../../../api/types';
import { formatBytes } from '../../../ui/format';

/** Image types the browser shows inline as thumbnails. */
const THUMBNAIL_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** The icon and short label for a content type. */
export function fileKind(contentType: string, filename: string): { icon: Icon; label: string; color: string } {
  const type = contentType.toLowerCase();
  const ext = filename.toLowerCase().split('.').pop() ?? '';
  if (type.startsWith('image/')) return { icon: IconPhoto, label: 'Image', color: 'teal' };
  if (type === 'application/pdf' || ext === 'pdf') return { icon: IconFileTypePdf, label: 'PDF', color: 'red' };
  if (type.includes('zip') || type.includes('compressed') || ['zip', 'gz', 'rar', '7z'].includes(ext))
    return { icon: IconFileZip, label: 'Archive', color: 'orange' };
  if (type.includes('spreadsheet') || type.includes('excel') || type === 'text/csv' || ['csv', 'xls', 'xlsx', 'ods'].includes(ext))
    return { icon: IconFileSpreadsheet, label: 'Spreadsheet', color: 'green' };
  if (type.includes('word') || type.includes('opendocument.text') || ['doc', 'docx', 'odt', 'rtf'].includes(ext))
    return { icon: IconFileTypeDoc, label: 'Document', color: 'blue' };
  if (type.startsWith('audio/')) return { icon: IconMusic, label: 'Audio', color: 'grape' };
  if (type.startsWith('video/')) return { icon: IconVideo, label: 'Video', color: 'grape' };
  if (type.startsWith('text/') || type === 'message/rfc822') return { icon: IconFileText, label: 'Text', color: 'gray' };
  return { icon: IconFile, label: ext ? ext.toUpperCase() : 'File', color: 'gray' };
}

/** The attachment chips of a message. */
export function MessageAttachments({ attachments }: { attachments: Attachment[] }) {
  if (attachments.length === 0) return null;
  return (
    <Group gap="xs" mt="md" data-testid="attachments">
      {attachments.map((a) => {
        const kind = fileKind(a.content_type, a.filename);
        const Icon = kind.icon;
        return (
          <Tooltip key={a.id} label={`${a.filename} · ${a.content_type} · ${formatBytes(a.size)}`}>
            <Anchor href={a.url} target="_blank" rel="noopener noreferrer" underline="never" c="inherit" data-testid="attachment">
              <Paper withBorder radius="sm" p={6} pr="sm" style={{ background: 'var(--mantine-color-body)' }}>
                <Group gap={8} wrap="nowrap">
                  {THUMBNAIL_TYPES.has(a.content_type.toLowerCase()) ? (
                    <Image src={a.url} alt="" w={36} h={36} radius="xs" fit="cover" loading="lazy" />
                  ) : (
                    <Box
                      w={36}
                      h={36}
                      style={{
                        display: 'grid',
                        placeItems: 'center',
                        borderRadius: 4,
                        background: `var(--mantine-color-${kind.color}-light)`,
                        color: `var(--mantine-color-${kind.color}-light-color)`,
                      }}
                    >
                      <Icon size={18} />
                    </Box>
                  )}
                  <Stack gap={0}>
                    <Text size="xs" fw={500} maw={200} truncate>
                      {a.filename}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {kind.label} · {formatBytes(a.size)}
                    </Text>
                  </Stack>
                </Group>
              </Paper>
            </Anchor>
          </Tooltip>
        );
      })}
    </Group>
  );
}
