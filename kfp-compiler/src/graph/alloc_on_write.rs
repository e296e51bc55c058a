//! [`AllocOnWrite`]: a configuration that takes memory only once a setting
//! is made, which keeps the recorded task of a large pipeline small.

/// A value with a fixed reading before it is first written: the
/// configuration kept by [`AllocOnWrite`].
pub trait Unwritten: Clone + 'static {
    /// What the value reads as until it is written.
    const UNWRITTEN: &'static Self;
}

/// A configuration that takes memory only once it is written: it reads as
/// [`Unwritten::UNWRITTEN`] until it is borrowed mutably (`DerefMut`),
/// which allocates a copy to write. Most tasks of a large pipeline set
/// nothing, and a task's configuration is hundreds of bytes, which the
/// pipeline would otherwise hold for every task.
///
/// ```
/// use kfp_compiler::graph::{AllocOnWrite, TaskConfig};
///
/// let mut config = AllocOnWrite::<TaskConfig>::default();
/// assert!(config.caching);
/// assert!(!config.is_written());
/// config.caching = false;
/// assert!(config.is_written());
/// assert!(!config.caching);
/// ```
#[derive(Clone)]
pub struct AllocOnWrite<T: Unwritten>(Option<Box<T>>);

impl<T: Unwritten> AllocOnWrite<T> {
    /// Not written: reads as [`Unwritten::UNWRITTEN`].
    pub const UNWRITTEN: Self = AllocOnWrite(None);

    /// Whether the value was borrowed mutably (and so allocated), even if
    /// it still equals its unwritten reading.
    pub fn is_written(&self) -> bool {
        self.0.is_some()
    }
}

impl<T: Unwritten> Default for AllocOnWrite<T> {
    fn default() -> Self {
        Self::UNWRITTEN
    }
}

impl<T: Unwritten> std::ops::Deref for AllocOnWrite<T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.0.as_deref().unwrap_or(T::UNWRITTEN)
    }
}

impl<T: Unwritten> std::ops::DerefMut for AllocOnWrite<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.0.get_or_insert_with(|| Box::new(T::UNWRITTEN.clone()))
    }
}

impl<T: Unwritten> From<T> for AllocOnWrite<T> {
    fn from(value: T) -> Self {
        AllocOnWrite(Some(Box::new(value)))
    }
}

/// Equal when the values are, written or not.
impl<T: Unwritten + PartialEq> PartialEq for AllocOnWrite<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Unwritten + std::fmt::Debug> std::fmt::Debug for AllocOnWrite<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}
