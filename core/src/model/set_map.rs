//! Serde helper: a set stored as a map `value → true`, so concurrent additions merge.
//! Reading also accepts a plain list, which is what people write in JSON by hand.

use serde::de::{DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde::{Deserializer, Serialize, Serializer};
use std::collections::BTreeSet;
use std::fmt;
use std::marker::PhantomData;

pub(crate) fn serialize<T: Serialize + Ord, S: Serializer>(set: &BTreeSet<T>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(set.iter().map(|v| (v, true)))
}

pub(crate) fn deserialize<'de, T: DeserializeOwned + Ord, D: Deserializer<'de>>(d: D) -> Result<BTreeSet<T>, D::Error> {
    struct SetVisitor<T>(PhantomData<T>);
    impl<'de, T: DeserializeOwned + Ord> Visitor<'de> for SetVisitor<T> {
        type Value = BTreeSet<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a map of value → true, or a list of values")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut set = BTreeSet::new();
            while let Some((key, present)) = map.next_entry::<T, bool>()? {
                if present {
                    set.insert(key);
                }
            }
            Ok(set)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut set = BTreeSet::new();
            while let Some(v) = seq.next_element::<T>()? {
                set.insert(v);
            }
            Ok(set)
        }
    }
    d.deserialize_any(SetVisitor(PhantomData))
}
