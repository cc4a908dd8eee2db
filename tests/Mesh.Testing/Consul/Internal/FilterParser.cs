using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mesh.Testing.Consul.Internal;

/// <summary>Recursive descent over <see cref="FilterToken"/>s into a predicate; errors are <see cref="FormatException"/>s.</summary>
internal sealed class FilterParser(List<FilterToken> tokens)
{
    private int _next;

    public Func<JsonElement, bool> Parse()
    {
        var predicate = Or();
        if (Peek() is { } extra)
        {
            throw Error(extra, $"unexpected '{extra.Text}'");
        }

        return predicate;
    }

    private Func<JsonElement, bool> Or()
    {
        var left = And();
        while (Peek()?.IsWord("or") == true)
        {
            _next++;
            var (l, r) = (left, And());
            left = e => l(e) || r(e);
        }

        return left;
    }

    private Func<JsonElement, bool> And()
    {
        var left = Unary();
        while (Peek()?.IsWord("and") == true)
        {
            _next++;
            var (l, r) = (left, Unary());
            left = e => l(e) && r(e);
        }

        return left;
    }

    private Func<JsonElement, bool> Unary()
    {
        var token = Peek() ?? throw new FormatException("1:1: unexpected end of expression");
        if (token.IsWord("not"))
        {
            _next++;
            var inner = Unary();
            return e => !inner(e);
        }

        if (token.Text == "(" && token.Kind == FilterTokenKind.Punctuation)
        {
            _next++;
            var inner = Or();
            Expect(")");
            return inner;
        }

        return Match();
    }

    private Func<JsonElement, bool> Match()
    {
        var first = Take();
        var literal = first.Kind is FilterTokenKind.String or FilterTokenKind.Number ? first.Text : null;
        var selector = literal is null && first.Kind == FilterTokenKind.Word ? SelectorFrom(first) : null;
        var negated = Peek()?.IsWord("not") == true && Peek(1)?.IsWord("in") == true;
        if (Peek()?.IsWord("in") == true || negated)
        {
            _next += negated ? 2 : 1;
            var value = literal ?? (selector is { Count: 1 } ? selector[0] : throw Error(first, "expected a value before 'in'"));
            var target = SelectorFrom(Take());
            return e => EmulatorFilter.Contains(EmulatorFilter.Select(e, target), value) != negated;
        }

        if (selector is null)
        {
            throw Error(first, "expected a selector");
        }

        var op = Take();
        if (op.Kind == FilterTokenKind.Operator)
        {
            var value = Value();
            var equal = op.Text == "==";
            return e => EmulatorFilter.Select(e, selector).Exists(s => EmulatorFilter.EqualsLiteral(s, value)) == equal;
        }

        if (op.IsWord("is"))
        {
            var not = Peek()?.IsWord("not") == true;
            _next += not ? 1 : 0;
            if (!Take().IsWord("empty"))
            {
                throw Error(op, "expected 'empty'");
            }

            return e => EmulatorFilter.IsEmpty(EmulatorFilter.Select(e, selector)) != not;
        }

        var invert = op.IsWord("not");
        var verb = invert ? Take() : op;
        if (verb.IsWord("contains"))
        {
            var value = Value();
            return e => EmulatorFilter.Contains(EmulatorFilter.Select(e, selector), value) != invert;
        }

        if (verb.IsWord("matches"))
        {
            var pattern = new Regex(Value(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            return e => EmulatorFilter.MatchesPattern(EmulatorFilter.Select(e, selector), pattern) != invert;
        }

        throw Error(verb, $"unexpected '{verb.Text}', expected an operator");
    }

    private List<string> SelectorFrom(FilterToken first)
    {
        if (first.Kind != FilterTokenKind.Word)
        {
            throw Error(first, "expected a selector");
        }

        List<string> path = [first.Text];
        while (Peek() is { Kind: FilterTokenKind.Punctuation, Text: "." or "[" } punctuation)
        {
            _next++;
            if (punctuation.Text == ".")
            {
                var part = Take();
                path.Add(part.Kind is FilterTokenKind.Word or FilterTokenKind.Number ? part.Text : throw Error(part, "expected a field name"));
            }
            else
            {
                var key = Take();
                path.Add(key.Kind == FilterTokenKind.String ? key.Text : throw Error(key, "expected a quoted key"));
                Expect("]");
            }
        }

        return path;
    }

    private string Value()
    {
        var token = Take();
        return token.Kind is FilterTokenKind.String or FilterTokenKind.Number or FilterTokenKind.Word ? token.Text : throw Error(token, "expected a value");
    }

    private void Expect(string punctuation)
    {
        var token = Take();
        if (token.Kind != FilterTokenKind.Punctuation || token.Text != punctuation)
        {
            throw Error(token, $"expected '{punctuation}'");
        }
    }

    private FilterToken? Peek(int ahead = 0) => _next + ahead < tokens.Count ? tokens[_next + ahead] : null;

    private FilterToken Take() => _next < tokens.Count ? tokens[_next++] : throw new FormatException("1:1: unexpected end of expression");

    private static FormatException Error(FilterToken token, string message) => new($"1:{token.Position + 1}: {message}");
}
