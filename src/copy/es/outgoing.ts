// Spanish: What goes out to a family: emails, text messages and the printed sign-in sheet.
import type { Messages } from '../messages.ts';
import { count } from '../plural.ts';
import { clockFor } from '../time.ts';
import { ES_US as LOCALE } from '../locales.ts';

export const outgoing: Pick<Messages, 'emails' | 'staffEmails' | 'portalAccess' | 'credentialsSheet'> = {
  emails: {
    footer: (practice: string) =>
      `Enviado por ${practice} a través de su portal seguro. Si no esperaba este correo, puede ignorarlo o llamar al consultorio.`,
    reset: {
      subject: (practice: string) => `Restablezca su contraseña del portal de ${practice}`,
      intro: (practice: string) => `Alguien (esperamos que usted) pidió restablecer la contraseña de su cuenta del portal de ${practice}.`,
      action: 'Elegir una nueva contraseña',
      validity: (hours: number) =>
        `Este enlace funciona una sola vez y durante ${count(LOCALE, hours, { one: 'hora', other: 'horas' })}. Después, pida uno nuevo.`,
      username: (username: string) => `Su nombre de usuario, por si lo olvidó: ${username}`,
      ignore: 'Si usted no lo pidió, puede ignorar este correo: su contraseña sigue siendo la misma.',
    },
    practiceReset: {
      subject: (practice: string) => `${practice} le envió un enlace para restablecer su contraseña del portal`,
      intro: (practice: string) => `${practice} le envió un enlace para elegir una nueva contraseña para su cuenta del portal del paciente.`,
      action: 'Elegir una nueva contraseña',
      validity: (hours: number) =>
        `Este enlace funciona una sola vez y durante ${count(LOCALE, hours, { one: 'hora', other: 'horas' })}. Después, el consultorio puede enviarle uno nuevo.`,
      username: (username: string) => `Su nombre de usuario, por si lo olvidó: ${username}`,
      notYou: (practice: string) => `Si usted no se lo pidió a ${practice}, puede ignorar este correo: su contraseña sigue siendo la misma.`,
    },
    changed: {
      subject: (practice: string) => `Se cambió su contraseña del portal de ${practice}`,
      body: (when: string) =>
        `La contraseña de su cuenta del portal se cambió el ${when}. Se cerró la sesión en todos los dispositivos donde estaba abierta.`,
      notYou: 'Si no fue usted, llame al consultorio de inmediato para que protejan su cuenta.',
    },
    burned: {
      subject: (practice: string) => `Se desactivó un enlace para restablecer su contraseña del portal de ${practice}`,
      body: 'Alguien abrió su enlace para restablecer la contraseña y respondió mal su pregunta de seguridad cinco veces, así que desactivamos ese enlace.',
      next: 'Su contraseña no cambió. Si fue usted, pida un enlace nuevo desde la página de inicio de sesión. Si no fue usted, llame al consultorio.',
    },
    invitation: {
      subject: (practice: string) => `Le invitamos al portal de ${practice}`,
      intro: (practice: string) => `${practice} le invita a usar su portal seguro.`,
      action: 'Configurar mi cuenta',
      validity: (days: number) => `Este enlace funciona una sola vez y durante ${count(LOCALE, days, { one: 'día', other: 'días' })}.`,
      username: (username: string) => `Su nombre de usuario: ${username}`,
    },
  },
  staffEmails: {
    footer: (practice: string) =>
      `Enviado por ${practice} a través de Gatehouse, su servicio seguro de inicio de sesión. Si no esperaba este correo, avise al administrador de su consultorio.`,
    reset: {
      subject: (practice: string) => `Restablezca su contraseña del portal del consultorio ${practice}`,
      intro: (administrator: string, practice: string) =>
        `${administrator}, administrador de ${practice}, le envió un enlace para elegir una nueva contraseña para el portal del consultorio.`,
      action: 'Elegir una nueva contraseña',
      validity: (hours: number) => `Este enlace es válido durante ${count(LOCALE, hours, { one: 'hora', other: 'horas' })} y funciona una sola vez.`,
      steps: 'Responderá su pregunta de seguridad y luego elegirá su nueva contraseña. Después se cerrará la sesión en todos sus dispositivos, y volverá a iniciar sesión con la nueva contraseña.',
      username: (username: string) => `Su nombre de usuario: ${username}`,
    },
    emailChanged: {
      subject: (practice: string) => `Se cambió el correo electrónico de su cuenta de ${practice}`,
      body: (when: string, administrator: string, practice: string, masked: string) =>
        `El ${when}, ${administrator} cambió el correo electrónico de su cuenta del portal del consultorio ${practice} a ${masked}.`,
      next: 'De ahora en adelante, los correos sobre su cuenta llegarán a la dirección nueva, y cualquier enlace para restablecer la contraseña enviado antes ya no funciona.',
      notYou: 'Si no esperaba este cambio, avise de inmediato al administrador de su consultorio.',
    },
  },
  portalAccess: {
    temporaryNotice: {
      subject: (practice: string) => `Se restableció su contraseña del portal de ${practice}`,
      intro: (practice: string) =>
        `${practice} le asignó una contraseña temporal para su cuenta del portal del paciente. El consultorio se la da en persona o en una hoja impresa: nunca se envía por correo electrónico.`,
      username: (username: string) => `Su nombre de usuario: ${username}`,
      action: 'Iniciar sesión en el portal',
      next: 'Cuando inicie sesión con la contraseña temporal, se le pedirá que elija una propia. Si usted no se lo pidió al consultorio, llámelos.',
    },
    emailChanged: {
      subject: (practice: string) => `Se cambió el correo electrónico de acceso de su cuenta del portal de ${practice}`,
      body: (masked: string) =>
        `El consultorio cambió el correo electrónico de acceso de su cuenta del portal a ${masked}. Los mensajes sobre su cuenta ahora llegan a esa dirección.`,
      notYou: 'Si usted no pidió este cambio, llame al consultorio de inmediato.',
    },
  },
  credentialsSheet: {
    title: 'Sus datos para entrar al portal del paciente',
    intro: (practice: string) =>
      `${practice} le asignó una contraseña temporal para su cuenta del portal del paciente. Guarde esta hoja en un lugar privado.`,
    guardian: 'Madre, padre o tutor',
    patient: 'Paciente',
    patients: 'Pacientes',
    portalAddress: 'Dirección del portal',
    username: 'Nombre de usuario',
    password: 'Contraseña temporal',
    validUntil: 'Válida hasta',
    expiry: (when: string) => `${when}. Después ya no funciona: pida una nueva al consultorio.`,
    stepsHeading: 'Cómo iniciar sesión por primera vez',
    steps: (address: string) => [
      `Abra ${address} en su navegador de internet.`,
      'Escriba su nombre de usuario y la contraseña temporal exactamente como aparecen arriba (los guiones son parte de la contraseña).',
      'Se le pedirá que elija su propia contraseña nueva, y una pregunta de seguridad si todavía no tiene una. A partir de ese momento, la contraseña temporal deja de funcionar.',
      'No comparta su nueva contraseña con nadie. Nadie del consultorio se la va a pedir nunca.',
    ],
    emailHeading: 'Aviso por correo electrónico',
    emailSent: (masked: string) =>
      `Se envió un aviso a ${masked}. Incluye su nombre de usuario y el enlace para iniciar sesión, nunca la contraseña.`,
    emailNotSent: {
      no_email: 'No se envió ningún aviso por correo electrónico: esta cuenta no tiene un correo registrado.',
      not_requested: 'No se envió ningún aviso por correo electrónico: el consultorio decidió entregarle solo esta hoja.',
    },
    footer: (practice: string) => `Impreso por ${practice}. Si no esperaba esta hoja, llame al consultorio.`,
    formatDate: (date: Date, timeZone: string) => clockFor(timeZone, LOCALE).dateTime(date),
  },
};
