import { Alert, Button, FileButton, Group, List, Modal, Stack, Text, Textarea } from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { ApiError } from '@/lib/api/problem';
import { errorMessage } from '@/lib/notify';
import { useImportJobs, type ImportResult } from '../api/jobs';

/** POST /jobs/import: paste or load YAML (one job or a list); shows what was created/updated or the server's errors. */
export function ImportJobsModal({ onClose }: { onClose: () => void }) {
  const [yaml, setYaml] = useState('');
  const [result, setResult] = useState<ImportResult | null>(null);
  const importJobs = useImportJobs();
  const problems = importJobs.error instanceof ApiError ? Object.entries(importJobs.error.fieldErrors) : [];

  return (
    <Modal opened onClose={onClose} title="Import jobs from YAML" size="xl" centered>
      <Stack gap="sm">
        {result ? (
          <Alert color="teal" title="Imported">
            <Text size="sm">
              Created: {result.created.map((j) => j.name).join(', ') || 'none'}
              <br />
              Updated: {result.updated.map((j) => j.name).join(', ') || 'none'}
            </Text>
          </Alert>
        ) : (
          importJobs.isError && (
            <Alert color="red" title={errorMessage(importJobs.error)}>
              {problems.length > 0 && (
                <List size="sm">
                  {problems.map(([k, msg]) => (
                    <List.Item key={k}>
                      {k}: {msg}
                    </List.Item>
                  ))}
                </List>
              )}
            </Alert>
          )
        )}
        <Group>
          <FileButton accept=".yaml,.yml,application/yaml,text/yaml" onChange={(f) => f?.text().then(setYaml)}>
            {(props) => (
              <Button variant="default" size="xs" leftSection={<IconUpload size={14} />} {...props}>
                Load a file
              </Button>
            )}
          </FileButton>
          <Text size="xs" c="dimmed">
            Jobs are matched by name: existing ones are updated.
          </Text>
        </Group>
        <Textarea
          label="YAML"
          autosize
          minRows={10}
          maxRows={24}
          spellCheck={false}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
          value={yaml}
          onChange={(e) => {
            setYaml(e.currentTarget.value);
            setResult(null);
          }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
          <Button
            disabled={!yaml.trim()}
            loading={importJobs.isPending}
            onClick={() => importJobs.mutate(yaml, { onSuccess: (r) => setResult(r) })}
          >
            Import
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
