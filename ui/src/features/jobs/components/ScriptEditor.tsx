import Prism from 'prismjs';
import 'prismjs/components/prism-bash';
import 'prismjs/components/prism-powershell';
import { useId } from 'react';
import Editor from 'react-simple-code-editor';
import type { StepType } from '../api/jobs';
import './prism-theme.css';

/** Prism grammar for a step type: PowerShell for powershell steps, bash otherwise. */
export function grammarFor(type: StepType): { grammar: Prism.Grammar; language: string } {
  return type === 'powershell'
    ? { grammar: Prism.languages.powershell, language: 'powershell' }
    : { grammar: Prism.languages.bash, language: 'bash' };
}

/**
 * Monospace script editor with syntax highlighting (react-simple-code-editor + Prism). Only the
 * job editor route imports it, so neither library is in the initial bundle.
 */
export function ScriptEditor({
  value,
  onChange,
  type,
  label,
  error,
  readOnly,
}: {
  value: string;
  onChange: (v: string) => void;
  type: StepType;
  label: string;
  error?: string;
  readOnly?: boolean;
}) {
  const { grammar, language } = grammarFor(type);
  const id = useId();
  return (
    <div>
      <label htmlFor={id} style={{ display: 'block', fontSize: 'var(--mantine-font-size-sm)', fontWeight: 500, marginBottom: 4 }}>
        {label}
      </label>
      <div
        className="opsc-code"
        data-language={language}
        style={{ borderColor: error ? 'var(--mantine-color-error)' : undefined }}
      >
        <Editor
          value={value}
          onValueChange={onChange}
          highlight={(code) => Prism.highlight(code, grammar, language)}
          padding={10}
          readOnly={readOnly}
          textareaId={id}
          placeholder={type === 'powershell' ? 'Restart-Service -Name {{service}}' : 'systemctl restart {{service}}'}
          spellCheck={false}
          style={{ fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13, minHeight: 80 }}
        />
      </div>
      {error && (
        <div style={{ color: 'var(--mantine-color-error)', fontSize: 'var(--mantine-font-size-xs)', marginTop: 4 }}>{error}</div>
      )}
    </div>
  );
}
