/**
 * Files on a reply or note being written: each uploads at once (with progress) when picked or
 * dropped, can be removed, and is sent by id with the message. A failed upload says why and can
 * be removed; sending waits until every upload has finished.
 */
import { ActionIcon, Badge, Group, Progress, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconFile, IconX } from '@tabler/icons-react';
import { useCallback, useRef, useState } from 'react';
import { errorMessage } from '../../../api/client';
import { formatBytes } from '../../../ui/format';
import { uploadAttachment } from '../api/tickets.api';

/** The most files one message can carry (the API's limit). */
export const MAX_FILES = 10;

interface PendingFile {
  key: string;
  name: string;
  size: number;
  progress: number;
  uploadId: string | null;
  error: string | null;
  abort: AbortController;
}

/** The files of one draft and what to do with them. */
export function useComposerAttachments() {
  const [files, setFiles] = useState<PendingFile[]>([]);
  const seq = useRef(0);
  const update = (key: string, patch: Partial<PendingFile>) => setFiles((list) => list.map((f) => (f.key === key ? { ...f, ...patch } : f)));

  const add = useCallback((picked: File[]) => {
    setFiles((list) => {
      const room = Math.max(0, MAX_FILES - list.length);
      const added = picked.slice(0, room).map((file) => {
        seq.current += 1;
        const entry: PendingFile = { key: `f${seq.current}`, name: file.name, size: file.size, progress: 0, uploadId: null, error: null, abort: new AbortController() };
        uploadAttachment(file, (p) => update(entry.key, { progress: p }), entry.abort.signal)
          .then((upload) => update(entry.key, { uploadId: upload.id, progress: 1 }))
          .catch((error: unknown) => {
            if (error instanceof DOMException && error.name === 'AbortError') return;
            update(entry.key, { error: errorMessage(error) });
          });
        return entry;
      });
      return [...list, ...added];
    });
  }, []);

  const remove = useCallback((key: string) => {
    setFiles((list) => {
      list.find((f) => f.key === key)?.abort.abort();
      return list.filter((f) => f.key !== key);
    });
  }, []);

  const clear = useCallback(() => setFiles([]), []);
  const uploading = files.some((f) => !f.uploadId && !f.error);
  const failed = files.some((f) => f.error);
  const ids = files.flatMap((f) => (f.uploadId ? [f.uploadId] : []));
  return { files, add, remove, clear, uploading, failed, ids, full: files.length >= MAX_FILES };
}

/** The chips of the draft's files. */
export function ComposerAttachmentList({ files, onRemove }: { files: PendingFile[]; onRemove: (key: string) => void }) {
  if (files.length === 0) return null;
  return (
    <Group gap={6} mt={6} data-testid="composer-attachments">
      {files.map((f) => (
        <Badge
          key={f.key}
          variant="light"
          color={f.error ? 'red' : 'gray'}
          radius="sm"
          size="lg"
          tt="none"
          fw={500}
          leftSection={f.error ? <IconAlertTriangle size={13} /> : <IconFile size={13} />}
          rightSection={
            <ActionIcon size="xs" variant="transparent" color="gray" onClick={() => onRemove(f.key)} aria-label={`Remove ${f.name}`}>
              <IconX size={12} />
            </ActionIcon>
          }
          data-testid="composer-attachment"
          data-state={f.error ? 'error' : f.uploadId ? 'ready' : 'uploading'}
        >
          <Tooltip label={f.error ?? `${f.name} · ${formatBytes(f.size)}`} multiline maw={320}>
            <Group gap={6} wrap="nowrap">
              <Text size="xs" maw={180} truncate>
                {f.name}
              </Text>
              {!f.uploadId && !f.error && <Progress value={f.progress * 100} w={40} size="sm" aria-label={`Uploading ${f.name}`} />}
              {f.uploadId && (
                <Text size="xs" c="dimmed">
                  {formatBytes(f.size)}
                </Text>
              )}
            </Group>
          </Tooltip>
        </Badge>
      ))}
    </Group>
  );
}
