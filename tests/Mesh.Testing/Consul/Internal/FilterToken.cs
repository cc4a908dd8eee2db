using System.Text;

namespace Mesh.Testing.Consul.Internal;

/// <summary>A token of a filter expression.</summary>
internal sealed record FilterToken(FilterTokenKind Kind, string Text, int Position)
{
    public bool IsWord(string word) => Kind == FilterTokenKind.Word && string.Equals(Text, word, StringComparison.Ordinal);

    public static List<FilterToken> Tokenize(string text)
    {
        List<FilterToken> tokens = [];
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var start = i;
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')' or '.' or '[' or ']')
            {
                tokens.Add(new(FilterTokenKind.Punctuation, c.ToString(), i++));
            }
            else if ((c is '=' or '!') && i + 1 < text.Length && text[i + 1] == '=')
            {
                tokens.Add(new(FilterTokenKind.Operator, text.Substring(i, 2), i));
                i += 2;
            }
            else if (c is '"' or '`')
            {
                var value = new StringBuilder();
                i++;
                while (i < text.Length && text[i] != c)
                {
                    if (c == '"' && text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    value.Append(text[i++]);
                }

                if (i >= text.Length)
                {
                    throw new FormatException($"1:{start + 1}: unterminated string");
                }

                i++;
                tokens.Add(new(FilterTokenKind.String, value.ToString(), start));
            }
            else if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                i++;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }

                tokens.Add(new(FilterTokenKind.Number, text[start..i], start));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '-' or '/'))
                {
                    i++;
                }

                tokens.Add(new(FilterTokenKind.Word, text[start..i], start));
            }
            else
            {
                throw new FormatException($"1:{i + 1}: unexpected character '{c}'");
            }
        }

        return tokens;
    }
}

/// <summary>The kinds of <see cref="FilterToken"/>.</summary>
internal enum FilterTokenKind
{
    Word,
    String,
    Number,
    Operator,
    Punctuation,
}
