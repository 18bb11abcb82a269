export default function TargetsPage() { return null; }
