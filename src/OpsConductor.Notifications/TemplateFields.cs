using Fluid;
using Fluid.Ast;

namespace OpsConductor.Notifications;

/// <summary>
/// The fields a template may use, and the check that a parsed template uses no other: every member access is walked
/// (in every branch, not only those a render takes) against the shape of <see cref="TemplateModel"/>. Variables the
/// template makes itself (<c>assign</c>, <c>capture</c>, <c>for</c>) are followed; a loop over a known list gets the
/// shape of its items.
/// </summary>
public static class TemplateFields
{
    sealed class Shape(IReadOnlyDictionary<string, Shape>? members = null, Shape? items = null)
    {
        public IReadOnlyDictionary<string, Shape>? Members { get; } = members;
        public Shape? Items { get; } = items;
    }

    static readonly Shape Value = new();
    static readonly Shape Lines = new(items: Value);
    static readonly Shape Target = Object(("id", Value), ("name", Value), ("hostname", Value), ("status", Value), ("error", Value), ("lastLines", Lines));
    static readonly Shape TargetList = new(items: Target);

    static readonly Shape Root = Object(
        ("event", Value),
        ("job", Object(("id", Value), ("name", Value))),
        ("run", Object(("id", Value), ("status", Value), ("trigger", Value), ("requestedBy", Value), ("url", Value), ("queuedAt", Value),
            ("startedAt", Value), ("finishedAt", Value), ("duration", Value), ("error", Value), ("targetCount", Value), ("failedCount", Value))),
        ("schedule", Object(("id", Value), ("name", Value), ("url", Value), ("timeZone", Value), ("dueAt", Value), ("dueAtLocal", Value),
            ("reason", Value), ("missedCount", Value))),
        ("targets", TargetList),
        ("failedTargets", TargetList));

    /// <summary>Every field path a template may use, for the editor.</summary>
    public static IReadOnlyList<string> Known { get; } = Paths("", Root).ToList();

    static Shape Object(params (string Name, Shape Shape)[] members) => new(members.ToDictionary(m => m.Name, m => m.Shape, StringComparer.Ordinal));

    static IEnumerable<string> Paths(string prefix, Shape shape)
    {
        if (shape.Members is { } members)
        {
            foreach (var (name, member) in members)
            {
                var path = prefix.Length == 0 ? name : $"{prefix}.{name}";
                yield return path;
                foreach (var inner in Paths(path, member))
                {
                    yield return inner;
                }
            }
        }
        if (shape.Items is { } items)
        {
            foreach (var inner in Paths(prefix + "[]", items))
            {
                yield return inner;
            }
        }
    }

    /// <summary>The unknown field paths the template uses (<c>job.nmae</c>), in order of appearance, each once.</summary>
    public static IReadOnlyList<string> Unknown(IFluidTemplate template)
    {
        var checker = new Checker();
        checker.VisitTemplate(template);
        return checker.Unknown;
    }

    sealed class Checker : AstVisitor
    {
        // Loop variables and what they hold; assigned and captured variables hold what the template put there (unchecked).
        readonly Dictionary<string, Shape?> _locals = new(StringComparer.Ordinal) { ["forloop"] = null, ["tablerowloop"] = null };
        readonly List<string> _unknown = [];

        public IReadOnlyList<string> Unknown => _unknown;

        protected override Statement VisitAssignStatement(AssignStatement assignStatement)
        {
            var result = base.VisitAssignStatement(assignStatement);
            _locals[assignStatement.Identifier] = null;
            return result;
        }

        protected override Statement VisitCaptureStatement(CaptureStatement captureStatement)
        {
            _locals[captureStatement.Identifier] = null;
            return base.VisitCaptureStatement(captureStatement);
        }

        protected override Statement VisitIncrementStatement(IncrementStatement incrementStatement)
        {
            _locals[incrementStatement.Identifier] = null;
            return base.VisitIncrementStatement(incrementStatement);
        }

        protected override Statement VisitDecrementStatement(DecrementStatement decrementStatement)
        {
            _locals[decrementStatement.Identifier] = null;
            return base.VisitDecrementStatement(decrementStatement);
        }

        protected override Statement VisitForStatement(ForStatement forStatement)
        {
            var items = forStatement.Source is MemberExpression source ? Resolve(source)?.Items : null;
            var had = _locals.TryGetValue(forStatement.Identifier, out var previous);
            _locals[forStatement.Identifier] = items;
            var result = base.VisitForStatement(forStatement);
            if (had)
            {
                _locals[forStatement.Identifier] = previous;
            }
            else
            {
                _locals.Remove(forStatement.Identifier);
            }
            return result;
        }

        protected override Statement VisitTableRowStatement(TableRowStatement tableRowStatement)
        {
            var items = tableRowStatement.Source is MemberExpression source ? Resolve(source)?.Items : null;
            _locals[tableRowStatement.Identifier] = items;
            return base.VisitTableRowStatement(tableRowStatement);
        }

        protected override Expression VisitMemberExpression(MemberExpression memberExpression)
        {
            Resolve(memberExpression);
            foreach (var segment in memberExpression.Segments)
            {
                if (segment is IndexerSegment indexer)
                {
                    Visit(indexer.Expression);
                }
                else if (segment is FunctionCallSegment call)
                {
                    foreach (var argument in call.Arguments)
                    {
                        Visit(argument.Expression);
                    }
                }
            }
            return memberExpression;
        }

        /// <summary>The shape the expression reaches, recording an unknown member; null when it cannot be followed further.</summary>
        Shape? Resolve(MemberExpression expression)
        {
            if (expression.Segments is not [IdentifierSegment first, ..])
            {
                return null;
            }
            Shape? shape;
            if (_locals.TryGetValue(first.Identifier, out var local))
            {
                shape = local;
            }
            else if (Root.Members!.TryGetValue(first.Identifier, out var root))
            {
                shape = root;
            }
            else
            {
                Report(first.Identifier);
                return null;
            }
            var path = first.Identifier;
            foreach (var segment in expression.Segments.Skip(1))
            {
                if (shape is null)
                {
                    return null;
                }
                switch (segment)
                {
                    case IdentifierSegment { Identifier: var name }:
                        if (shape.Items is not null && name is "size" or "first" or "last")
                        {
                            shape = name == "size" ? Value : shape.Items;
                        }
                        else if (shape.Members is { } members && members.TryGetValue(name, out var member))
                        {
                            shape = member;
                        }
                        else if (shape.Members is null && shape.Items is null && name == "size")
                        {
                            shape = Value;
                        }
                        else
                        {
                            Report($"{path}.{name}");
                            return null;
                        }
                        path = $"{path}.{name}";
                        break;
                    case IndexerSegment:
                        if (shape.Items is null)
                        {
                            return null;
                        }
                        shape = shape.Items;
                        path += "[]";
                        break;
                    default:
                        return null;
                }
            }
            return shape;
        }

        void Report(string path)
        {
            if (!_unknown.Contains(path))
            {
                _unknown.Add(path);
            }
        }
    }
}
