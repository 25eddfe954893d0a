// Today's renderer (before compiled pages), kept so the differential tests can prove the
// compiled pages produce the same bytes. Do not change it to make a test pass.

import Mustache

@testable import App

// Why these exist: swift-mustache looks a name up in a plain struct by reflecting it (a Mirror
// of every stored property, types demangled) on every lookup, and a form page makes thousands.
// A `MustacheParent` answers by name directly. Each switch must name every stored property of
// its type, or the template silently sees nothing: PageRenderingTests checks each one against
// the type's own Mirror.

extension LegacyFormPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": chrome
        case "heading": heading
        case "introHTML": introHTML
        case "action": action
        case "token": token
        case "language": language
        case "errorSummaryTitle": errorSummaryTitle
        case "errors": errors
        case "hasErrors": hasErrors
        case "fields": fields
        case "submitLabel": submitLabel
        case "declineLabel": declineLabel
        case "validationMessages": validationMessages
        default: nil
        }
    }
}

extension LegacyFormPage.SummaryItem: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "target": target
        case "text": text
        default: nil
        }
    }
}

extension LegacyFieldView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "name": self.name
        case "label": label
        case "inputType": inputType
        case "isHidden": isHidden
        case "isTextarea": isTextarea
        case "isSelect": isSelect
        case "isCheckbox": isCheckbox
        case "isGroup": isGroup
        case "isInput": isInput
        case "value": value
        case "checked": checked
        case "attributes": attributes
        case "help": help
        case "helpId": helpId
        case "error": error
        case "errorId": errorId
        case "errorPrefix": errorPrefix
        case "optionalText": optionalText
        case "chooseText": chooseText
        case "options": options
        case "condition": condition
        case "enterAgain": enterAgain
        case "enterAgainId": enterAgainId
        default: nil
        }
    }
}

extension LegacyFieldView.ConditionView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "field": field
        case "valuesJSON": valuesJSON
        case "hint": hint
        case "hintId": hintId
        default: nil
        }
    }
}

extension LegacyFieldView.OptionView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "value": value
        case "label": label
        case "selected": selected
        case "attributes": attributes
        default: nil
        }
    }
}

extension LegacyMessagePage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": chrome
        case "heading": heading
        case "message": message
        case "actionURL": actionURL
        case "actionLabel": actionLabel
        case "isSuccess": isSuccess
        default: nil
        }
    }
}

extension LegacyChrome: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "lang": lang
        case "dir": dir
        case "pageTitle": pageTitle
        case "stylesheet": stylesheet
        case "brandStylesheet": brandStylesheet
        case "favicon": favicon
        case "logo": logo
        case "displayName": displayName
        case "script": script
        case "hasBrand": hasBrand
        default: nil
        }
    }
}
