//! Loading: the structure, then every language's texts, collecting every problem.

use std::collections::HashMap;

use crate::error::{LoadError, LoadErrors, Location};
use crate::structure::{self, Structure};
use crate::texts::{self, Texts};
use crate::ProtocolSources;

/// A protocol after validation.
#[derive(Debug)]
pub(crate) struct Loaded {
    pub structure: Structure,
    /// Texts by language code.
    pub texts: HashMap<String, Texts>,
}

pub(crate) fn load(sources: &ProtocolSources) -> Result<Loaded, LoadErrors> {
    let structure_path = &sources.structure.path;
    let parsed = structure::parse(structure_path, &sources.structure.text);
    let mut errors = parsed.errors;
    let Some(structure) = parsed.structure else {
        return Err(LoadErrors(errors));
    };

    let mut texts = HashMap::new();
    for (language, source) in &sources.texts {
        let at = Location::file(&source.path);
        if !parsed
            .language_lines
            .iter()
            .any(|(code, _)| code == language)
        {
            let language = language.clone();
            errors.push(LoadError::UndeclaredLanguage { at, language });
            continue;
        }
        if texts.contains_key(language) {
            let language = language.clone();
            errors.push(LoadError::DuplicateLanguageFile { at, language });
            continue;
        }
        let loaded = texts::load(
            &structure,
            &parsed.references,
            language,
            &source.path,
            &source.text,
            &mut errors,
        );
        texts.insert(language.clone(), loaded);
    }
    for (code, line) in &parsed.language_lines {
        if !texts.contains_key(code) && !sources.texts.iter().any(|(l, _)| l == code) {
            let at = Location::at(structure_path, *line);
            errors.push(LoadError::MissingLanguageFile {
                at,
                language: code.clone(),
            });
        }
    }

    if errors.is_empty() {
        Ok(Loaded { structure, texts })
    } else {
        Err(LoadErrors(errors))
    }
}
