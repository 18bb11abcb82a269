namespace OpsConductor.Shared.Scripting;

/// <summary>One <c>{{name}}</c> in a script: where it is (index, length, 1-based line) and the context it stands in.</summary>
public sealed record Placeholder(string Name, int Index, int Length, int Line, PlaceholderContext Context);
