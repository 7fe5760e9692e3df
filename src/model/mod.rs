//! The version-neutral API view.
