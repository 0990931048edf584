//! Header fields: names, rows, values, list splitting and typed access.

pub mod name;
pub mod param;
pub mod typed;

pub use name::{HeaderName, KnownHeader, ListKind};
pub use param::{Param, ParamIter, Params};
pub use typed::TypedHeader;
