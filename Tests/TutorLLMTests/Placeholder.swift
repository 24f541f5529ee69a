import Testing
import TutorModel
