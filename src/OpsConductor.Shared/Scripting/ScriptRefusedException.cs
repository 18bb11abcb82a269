namespace OpsConductor.Shared.Scripting;

/// <summary>A script puts a parameter where its value cannot be delivered safely; the message says where and why.</summary>
public sealed class ScriptRefusedException(string message) : Exception(message);
