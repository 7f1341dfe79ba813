using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace ModelRegistry.Engine.Config
{
    /// <summary>Tags in insertion order (ManagedBy, Team, Project, Phase), which Dictionary does not promise.</summary>
    internal sealed class OrderedTags : IReadOnlyDictionary<string, string>
    {
        private readonly List<KeyValuePair<string, string>> _items = new List<KeyValuePair<string, string>>();

        public void Add(string key, string value)
        {
            if (ContainsKey(key)) throw new ArgumentException($"Tag '{key}' is already present.", nameof(key));
            _items.Add(new KeyValuePair<string, string>(key, value));
        }

        public string this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);
        public IEnumerable<string> Keys => _items.Select(i => i.Key);
        public IEnumerable<string> Values => _items.Select(i => i.Value);
        public int Count => _items.Count;
        public bool ContainsKey(string key) => _items.Any(i => i.Key == key);

        public bool TryGetValue(string key, out string value)
        {
            foreach (var i in _items)
                if (i.Key == key)
                {
                    value = i.Value;
                    return true;
                }
            value = null!;
            return false;
        }

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _items.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
