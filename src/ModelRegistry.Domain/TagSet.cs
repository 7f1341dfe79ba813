using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace ModelRegistry
{
    /// <summary>
    /// Tags (and other string keys with string values, such as a version's customer metadata) as every output object
    /// carries them: in the order they were given, keys compared case-sensitively (as AWS compares tag keys), read-only.
    /// It is a dictionary to PowerShell, so <c>$x.Tags.Team</c>, <c>$x.Tags['Team']</c>, <c>-Tag $x.Tags</c> and
    /// <c>ConvertTo-Json</c> (an object) work, and it prints as <c>Key=Value; Key=Value</c> (e.g. in <c>Export-Csv</c>).
    /// Every mutator throws <see cref="NotSupportedException"/>.
    /// </summary>
    public sealed class TagSet : IDictionary<string, string>, IReadOnlyDictionary<string, string>, IDictionary
    {
        private readonly KeyValuePair<string, string>[] _items;
        private readonly Dictionary<string, int> _index;

        /// <summary>No tags.</summary>
        public static TagSet Empty { get; } = new TagSet(Array.Empty<KeyValuePair<string, string>>());

        /// <summary>Tags in the order given; a key given twice (exactly, case-sensitively) is an error.</summary>
        /// <param name="tags">The tags; a null value becomes an empty string.</param>
        public TagSet(IEnumerable<KeyValuePair<string, string>> tags)
        {
            if (tags is null) throw new ArgumentNullException(nameof(tags));
            var items = new List<KeyValuePair<string, string>>();
            _index = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var t in tags)
            {
                if (t.Key is null) throw new ArgumentException("A tag key is null.", nameof(tags));
                if (_index.ContainsKey(t.Key)) throw new ArgumentException($"Tag '{t.Key}' is given twice.", nameof(tags));
                _index.Add(t.Key, items.Count);
                items.Add(new KeyValuePair<string, string>(t.Key, t.Value ?? ""));
            }
            _items = items.ToArray();
        }

        /// <summary>The same tags as a <see cref="TagSet"/>: null stays null, a <see cref="TagSet"/> is returned as it is.</summary>
        /// <param name="tags">Any dictionary of tags, or null.</param>
        public static TagSet? From(IEnumerable<KeyValuePair<string, string>>? tags) =>
            tags is null ? null : tags as TagSet ?? new TagSet(tags);

        /// <summary>The value of a tag; reading a key that is not there throws <see cref="KeyNotFoundException"/>
        /// (PowerShell's <c>$tags['x']</c> and <c>$tags.x</c> give $null instead).</summary>
        /// <param name="key">The tag key, case-sensitive.</param>
        public string this[string key]
        {
            get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No tag '{key}'.");
            set => throw ReadOnly();
        }

        /// <summary>The keys, in order.</summary>
        public IReadOnlyList<string> Keys => _items.Select(i => i.Key).ToArray();
        /// <summary>The values, in the order of their keys.</summary>
        public IReadOnlyList<string> Values => _items.Select(i => i.Value).ToArray();
        /// <summary>How many tags.</summary>
        public int Count => _items.Length;
        /// <summary>Always true.</summary>
        public bool IsReadOnly => true;

        /// <summary>Whether a tag with this exact key is present.</summary>
        /// <param name="key">The tag key, case-sensitive.</param>
        public bool ContainsKey(string key) => key != null && _index.ContainsKey(key);

        /// <summary>The value of a tag, when present.</summary>
        /// <param name="key">The tag key, case-sensitive.</param>
        /// <param name="value">The value, or null when absent.</param>
        public bool TryGetValue(string key, out string value)
        {
            if (key != null && _index.TryGetValue(key, out var i))
            {
                value = _items[i].Value;
                return true;
            }
            value = null!;
            return false;
        }

        /// <summary>The tags in order.</summary>
        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_items).GetEnumerator();

        /// <summary><c>Key=Value; Key=Value</c>, in order.</summary>
        public override string ToString() => string.Join("; ", _items.Select(i => i.Key + "=" + i.Value));

        private static NotSupportedException ReadOnly() => new NotSupportedException("Tags on an output object are read-only; pass a hashtable to -Tag to change them.");

        ICollection<string> IDictionary<string, string>.Keys => _items.Select(i => i.Key).ToArray();
        ICollection<string> IDictionary<string, string>.Values => _items.Select(i => i.Value).ToArray();
        IEnumerable<string> IReadOnlyDictionary<string, string>.Keys => Keys;
        IEnumerable<string> IReadOnlyDictionary<string, string>.Values => Values;
        void IDictionary<string, string>.Add(string key, string value) => throw ReadOnly();
        bool IDictionary<string, string>.Remove(string key) => throw ReadOnly();
        void ICollection<KeyValuePair<string, string>>.Add(KeyValuePair<string, string> item) => throw ReadOnly();
        void ICollection<KeyValuePair<string, string>>.Clear() => throw ReadOnly();
        bool ICollection<KeyValuePair<string, string>>.Remove(KeyValuePair<string, string> item) => throw ReadOnly();
        bool ICollection<KeyValuePair<string, string>>.Contains(KeyValuePair<string, string> item) =>
            TryGetValue(item.Key, out var v) && v == item.Value;
        void ICollection<KeyValuePair<string, string>>.CopyTo(KeyValuePair<string, string>[] array, int arrayIndex) => _items.CopyTo(array, arrayIndex);
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        // Non-generic IDictionary: what PowerShell looks for ($x.Key, ConvertTo-Json as an object, hashtable conversion).
        object? IDictionary.this[object key]
        {
            get => key is string k && TryGetValue(k, out var v) ? v : null;
            set => throw ReadOnly();
        }
        ICollection IDictionary.Keys => _items.Select(i => i.Key).ToArray();
        ICollection IDictionary.Values => _items.Select(i => i.Value).ToArray();
        bool IDictionary.IsFixedSize => true;
        bool IDictionary.Contains(object key) => key is string k && ContainsKey(k);
        void IDictionary.Add(object key, object? value) => throw ReadOnly();
        void IDictionary.Clear() => throw ReadOnly();
        void IDictionary.Remove(object key) => throw ReadOnly();
        IDictionaryEnumerator IDictionary.GetEnumerator() => new Enumerator(_items);
        bool ICollection.IsSynchronized => false;
        object ICollection.SyncRoot => _items;
        void ICollection.CopyTo(Array array, int index)
        {
            foreach (var i in _items) array.SetValue(new DictionaryEntry(i.Key, i.Value), index++);
        }

        private sealed class Enumerator : IDictionaryEnumerator
        {
            private readonly KeyValuePair<string, string>[] _items;
            private int _at = -1;

            public Enumerator(KeyValuePair<string, string>[] items) => _items = items;

            public DictionaryEntry Entry => new DictionaryEntry(_items[_at].Key, _items[_at].Value);
            public object Key => _items[_at].Key;
            public object? Value => _items[_at].Value;
            public object Current => Entry;
            public bool MoveNext() => ++_at < _items.Length;
            public void Reset() => _at = -1;
        }
    }
}
