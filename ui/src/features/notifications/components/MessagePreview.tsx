import { Code, Stack, Tabs, Text } from '@mantine/core';

/**
 * A rendered message: the HTML part in a sandboxed frame (no scripts, no same-origin access: it is mail, shown as a
 * mail client would) and the plain-text part as it is.
 */
export function MessagePreview({ subject, html, text, label }: { subject?: string; html: string; text: string; label: string }) {
  return (
    <Stack gap="xs" data-testid="message-preview">
      {subject !== undefined && (
        <Text size="sm">
          <Text span c="dimmed">
            Subject:{' '}
          </Text>
          <Text span fw={600} data-testid="preview-subject">
            {subject}
          </Text>
        </Text>
      )}
      <Tabs defaultValue="html" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="html">HTML</Tabs.Tab>
          <Tabs.Tab value="text">Plain text</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="html" pt="xs">
          <iframe
            title={`${label} (HTML)`}
            sandbox=""
            srcDoc={html}
            style={{ width: '100%', minHeight: 360, border: '1px solid var(--mantine-color-default-border)', borderRadius: 4, background: 'white' }}
          />
        </Tabs.Panel>
        <Tabs.Panel value="text" pt="xs">
          <Code block data-testid="preview-text" style={{ whiteSpace: 'pre-wrap', maxHeight: 420, overflow: 'auto' }}>
            {text}
          </Code>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
