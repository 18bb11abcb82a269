export default function CredentialsPage() { return null; }
